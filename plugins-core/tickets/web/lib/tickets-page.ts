/**
 * `TicketsPage`: the base of the plugin's pages, on which the shell sets `params` (the path's) and `query` (the
 * URL's search parameters).
 * @module
 */
import type { PropertyDeclarations } from 'lit';
import { TicketsWidget } from './tickets-widget.js';

export abstract class TicketsPage<T> extends TicketsWidget<T> {
  static override properties: PropertyDeclarations = {
    ...TicketsWidget.properties,
    params: { attribute: false },
    query: { attribute: false },
  };

  /** Set by the shell: the path's parameters. */
  declare params: Record<string, string>;
  /** Set by the shell: the URL's search parameters. */
  declare query: URLSearchParams;

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
  }
}
