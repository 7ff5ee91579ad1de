/**
 * `TicketThreadPage`: the base of the pages that show one ticket (`params.id`) with its article timeline and a
 * composer: the agent's detail page and the customer's portal page. It loads the ticket and its articles, starts
 * over when the shell hands it another ticket, moves the focus to the ticket's heading once per ticket, and sends
 * what the composer writes.
 * @module
 */
import type { PropertyDeclarations, PropertyValues } from 'lit';
import type { TicketsComposer } from '../components/composer.js';
import { V1 } from './api.js';
import { focusHeading } from './page-focus.js';
import { TicketsPage } from './tickets-page.js';
import type { Article, ArticleInput, TicketDetail } from './types.js';

/** What every ticket page shows. */
export interface TicketThread {
  ticket: TicketDetail;
  articles: Article[];
}

export abstract class TicketThreadPage<T extends TicketThread> extends TicketsPage<T> {
  static override properties: PropertyDeclarations = {
    ...TicketsPage.properties,
    sending: { state: true },
    composerErrors: { state: true },
  };

  /** An article is being sent. */
  declare protected sending: boolean;
  /** The composer's field errors from the last send. */
  declare protected composerErrors: Record<string, string>;

  private loadedId: string | undefined;
  private focusedId: string | undefined;

  constructor() {
    super();
    this.sending = false;
    this.composerErrors = {};
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Another ticket in the same page element (a link from this one, Back): start over on its articles.
    if (
      changed.has('params') &&
      this.isConnected &&
      this.loadedId !== undefined &&
      this.params.id !== this.loadedId
    ) {
      this.resetForOtherTicket();
      void this.refresh();
    }
  }

  /** Forgets what belonged to the ticket shown before; a subclass clears its own state too. */
  protected resetForOtherTicket(): void {
    this.composerErrors = {};
    this.toast?.clear();
  }

  /** Loads the ticket of `params.id` and its articles (those the user may see). */
  protected async loadThread(signal: AbortSignal): Promise<TicketThread> {
    const id = this.params.id ?? '';
    this.loadedId = id;
    const base = `${V1}/tickets/${encodeURIComponent(id)}`;
    const [ticket, articles] = await Promise.all([
      this.api.get<TicketDetail>(base, { signal }),
      this.api.get<{ items: Article[] }>(`${base}/articles`, { signal }),
    ]);
    return { ticket, articles: articles.items };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.state === 'ready' && this.focusedId !== this.loadedId && focusHeading(this.renderRoot)) {
      this.focusedId = this.loadedId;
    }
  }

  /** What the page sends for what the composer wrote. */
  protected articleOf(input: ArticleInput): ArticleInput {
    return input;
  }

  protected readonly onCompose = async (event: CustomEvent<ArticleInput>): Promise<void> => {
    const ticket = this.data?.ticket;
    if (!ticket) return;
    const composer = event.target as TicketsComposer;
    const article = this.articleOf(event.detail);
    this.sending = true;
    this.composerErrors = {};
    try {
      await this.api.post(`${V1}/tickets/${ticket.id}/articles`, article);
      composer.reset();
      this.toast?.show(this.t(article.internal ? 'detail.noteAdded' : 'detail.replySent'));
      await this.refresh();
    } catch (error) {
      this.composerErrors = this.fieldErrorsOf(error);
      this.toastFailure('detail.sendFailed', error);
    } finally {
      this.sending = false;
    }
  };
}
