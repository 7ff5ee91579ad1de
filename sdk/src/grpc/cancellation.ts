/**
 * Whether an invocation was given up, with the AbortSignal a handler sees as `ctx.signal` made only when the
 * handler asks for it: most handlers never do, and an AbortController per invocation is measurable on the
 * message path.
 * @module
 */
export class Cancellation {
  #controller: AbortController | null = null;
  #reason: unknown;
  /** Whether {@link abort} was called. */
  aborted = false;

  /** The invocation's signal: the same object every time, already aborted if the invocation was given up. */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Gives the invocation up; the first reason counts. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
