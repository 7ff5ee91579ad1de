/**
 * Bounds what a plugin can put into its log. A plugin that floods stdout, stderr or `host.log` must cost only
 * itself: the kernel keeps at most N lines per second per plugin, counts the rest and reports them as one
 * warning per second, and cuts every line to a maximum length. Reading the flood is cheap; storing and shipping
 * it to the operator's log view is what must be bounded.
 * @module
 */
import type { PluginLogLine } from '../contract.js';

/** Appended to a line that was cut to the maximum length. */
export const TRUNCATED_MARK = ' …[truncated]';

/** How many lines per second to keep and how long each may be. */
export interface LogLimiterOptions {
  maxLinesPerSecond: number;
  maxLineLength: number;
  /** Receives the kept lines and the summaries of dropped ones. */
  sink: (line: PluginLogLine) => void;
}

/**
 * A per-plugin rate limit on log lines, in fixed one-second windows that start with the first line after a quiet
 * period. Each window passes at most `maxLinesPerSecond` lines and, if it dropped any, one summary line
 * `"<n> log lines dropped …"` at its end.
 */
export class LogLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private kept = 0;
  private dropped = 0;
  private summaryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LogLimiterOptions) {}

  /** Passes the line on (truncated if needed), or counts it as dropped when this second's quota is used up. */
  write(line: PluginLogLine): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.flush();
      this.windowStart = now;
      this.kept = 0;
    }
    if (this.kept < this.options.maxLinesPerSecond) {
      this.kept++;
      this.options.sink({ level: line.level, message: truncate(line.message, this.options.maxLineLength) });
      return;
    }
    this.dropped++;
    // The summary must come even if the plugin falls silent, so it is timed rather than written by the next line.
    this.summaryTimer ??= setTimeout(() => this.flush(), this.windowStart + 1000 - now).unref();
  }

  /** Writes the summary of the lines dropped so far, if any. Called at each window's end and on dispose. */
  flush(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
    if (this.dropped === 0) return;
    const dropped = this.dropped;
    this.dropped = 0;
    this.options.sink({
      level: 'warn',
      message: `${dropped} log lines dropped: the plugin logged more than ${this.options.maxLinesPerSecond} lines per second`,
    });
  }
}

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + TRUNCATED_MARK : text;
}

/**
 * Splits a text stream (a child's stdout or stderr) into lines without ever holding more than one bounded line:
 * of a line longer than `maxLength` only the first `maxLength + 1` characters are kept (enough for the limiter
 * to see it must be cut), so a plugin printing a gigabyte without a newline cannot grow the kernel's memory.
 * Blank lines are skipped; a trailing `\r` is removed.
 */
export class LineSplitter {
  private partial = '';

  constructor(
    private readonly maxLength: number,
    private readonly emit: (line: string) => void,
  ) {}

  /** Feeds a chunk of decoded text. */
  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      if (newline < 0) {
        this.append(chunk, start, chunk.length);
        return;
      }
      this.append(chunk, start, newline);
      this.endLine();
      start = newline + 1;
    }
  }

  /** Emits what is left when the stream ends without a final newline. */
  end(): void {
    this.endLine();
  }

  private append(chunk: string, from: number, to: number): void {
    const room = this.maxLength + 1 - this.partial.length;
    if (room > 0) this.partial += chunk.slice(from, Math.min(to, from + room));
  }

  private endLine(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    if (line.trim() !== '') this.emit(line);
  }
}
