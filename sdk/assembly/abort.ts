/**
 * The replacement for AssemblyScript's `abort`. By default the compiler makes `abort` an import, `env::abort`,
 * and the kernel refuses every import outside Extism's functions and the Host API. Build with
 *
 *     --use abort=~lib/@goatflow/sdk/assembly/abort/abort
 *
 * and a failed assertion, an out-of-bounds access or `abort(...)` in plugin code sets the plugin's error text
 * and traps: the caller gets `plugin_error` with that text, and the kernel replaces the instance. The module
 * has to be part of the compilation, which importing `@goatflow/sdk/assembly` takes care of.
 * @module
 */
import { setError } from './extism';

// Set while an abort is under way: building the message allocates, and if the abort came from the allocator
// running out of memory, allocating again would abort again, without end. The second time, trap at once.
let aborting = false;

/** Reports `message` (and where it happened) as the plugin's error, then traps. */
export function abort(
  message: string | null = null,
  fileName: string | null = null,
  line: u32 = 0,
  column: u32 = 0,
): void {
  if (aborting) unreachable();
  aborting = true;
  // The compiler passes where a failed assertion or bounds check is; a plugin's own abort('…') passes no place.
  const place = fileName !== null ? ' at ' + fileName + ':' + line.toString() + ':' + column.toString() : '';
  setError('abort: ' + (message !== null ? message : '') + place);
  unreachable();
}
