import { defaultClientConditions, defineConfig } from 'vite';

// The kernel serves the built app from dist/ and owns /api and the plugins' assets under /plugins; in development
// Vite proxies both to it so the session cookie stays same-origin, exactly as in production.
const kernel = { target: 'http://localhost:8080', changeOrigin: false };
const apiProxy = { '/api': kernel, '/plugins': kernel };

export default defineConfig({
  base: '/',
  // `@goatflow/sdk` from its TypeScript sources (its `@goatflow/source` export condition), so the shell builds
  // without building the SDK first.
  resolve: { conditions: ['@goatflow/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
});
