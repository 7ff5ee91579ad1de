import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * `@goatflow/sdk`'s exports name its TypeScript sources under the `@goatflow/source` condition and its build
 * (dist/) by default: resolving that condition first makes the tests run against the SDK's sources, so a change
 * there needs no build. Vitest also passes the server conditions to its worker processes as `--conditions`.
 */
const SOURCE_CONDITION = '@goatflow/source';
const resolve = {
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
};

/**
 * Three projects, run by `npm test` in this order: unit tests beside the code, integration suites against a real
 * database (embedded PGlite, or PostgreSQL when DATABASE_URL is set), browser suites in Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        ...resolve,
        test: {
          name: 'unit',
          include: [
            'kernel/src/**/*.test.ts',
            'sdk/src/**/*.test.ts',
            'web/src/**/*.test.ts',
            'plugins-core/*/src/**/*.test.ts',
            'plugins-core/*/test/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        ...resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own kernels and database; two at a time suits a 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        ...resolve,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
