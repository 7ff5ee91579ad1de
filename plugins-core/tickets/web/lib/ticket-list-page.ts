/**
 * `TicketListPage`: the base of the pages whose list follows the URL's filters (the agent's ticket list, the
 * customer's). When the shell hands over a `query` that asks for another list than the one loaded, the page
 * loads again; a `query` that only reorders or repeats the same filters does not.
 * @module
 */
import type { PropertyValues } from 'lit';
import { type ListFilters, sameRequest } from './list-query.js';
import { TicketsPage } from './tickets-page.js';

export abstract class TicketListPage<T> extends TicketsPage<T> {
  private requested: ListFilters | undefined;

  /** The filters the URL asks for, as far as the page heeds them. */
  protected abstract get filters(): ListFilters;

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (
      changed.has('query') &&
      this.isConnected &&
      this.requested &&
      !sameRequest(this.filters, this.requested)
    ) {
      void this.refresh();
    }
  }

  /** The filters to load the list with, remembered as the list's own. Call it from `load`. */
  protected requestFilters(): ListFilters {
    const filters = this.filters;
    this.requested = filters;
    return filters;
  }
}
