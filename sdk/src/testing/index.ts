/**
 * `@goatflow/sdk/testing`: test a plugin against a real GoatFlow kernel.
 *
 * ```ts
 * import { startTestKernel, type TestKernel } from '@goatflow/sdk/testing';
 * import { afterAll, beforeAll, expect, it } from 'vitest';
 *
 * let kernel: TestKernel;
 * beforeAll(async () => {
 *   kernel = await startTestKernel({ plugins: [process.cwd()] });
 * }, 180_000);
 * afterAll(() => kernel?.stop());
 *
 * it('greets an agent', async () => {
 *   const res = await kernel.as('agent').get('/api/plugins/my-plugin/greeting');
 *   expect(res.status).toBe(200);
 * });
 * ```
 *
 * The kernel runs as a separate process (the SDK does not depend on the kernel's code): the plugin project needs
 * `@goatflow/kernel` as a dev dependency.
 * @packageDocumentation
 */
export {
  TestClient,
  type TestCredentials,
  type TestRequestOptions,
  type TestResponse,
} from './api-client.js';
export type { TestUser } from './setup.js';
export {
  DEFAULT_TEST_USERS,
  type StartTestKernelOptions,
  startTestKernel,
  type TestKernel,
} from './test-kernel.js';
export {
  buildWasmModule,
  I32,
  I64,
  type WasmImportSpec,
  type WasmLimits,
  type WasmModuleSpec,
} from './wasm-module.js';
