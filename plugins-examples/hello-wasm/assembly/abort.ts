// AssemblyScript's built-in `abort` is an import (env::abort), and the kernel refuses every import outside the
// Host API and Extism's own functions. asconfig.json swaps it for this one (`use: abort=assembly/abort/abort`):
// the message becomes the plugin's error text, then the instance traps and the kernel replaces it.
import { Memory } from '@extism/as-pdk';

@external('extism:host/env', 'error_set')
declare function error_set(offset: u64): void;

export function abort(
  message: string | null = null,
  fileName: string | null = null,
  line: u32 = 0,
  column: u32 = 0,
): void {
  const text =
    'abort: ' +
    (message !== null ? message : '') +
    ' at ' +
    (fileName !== null ? fileName : '?') +
    ':' +
    line.toString() +
    ':' +
    column.toString();
  error_set(Memory.allocateString(text).offset);
  unreachable();
}
