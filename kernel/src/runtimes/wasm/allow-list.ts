/**
 * The only imports a WASM plugin may have. The list and its verdicts live in the SDK (`@goatflow/sdk`), so that
 * `goatflow-plugin validate` refuses at build time exactly what the kernel refuses at load time, with the same
 * words; the runtime imports them from here.
 * @module
 */
export {
  checkImport,
  EXTISM_KERNEL_FUNCTIONS,
  EXTISM_KERNEL_MODULE,
  HOST_API_FUNCTIONS,
  HOST_API_MODULE,
  HOST_API_SIGNATURE,
  type ImportVerdict,
} from '@goatflow/sdk';
