/**
 * `<gf-ticket-new-page>` at `/tickets/new`: an agent opens a ticket, usually for a customer found with the
 * customer picker, with its first article. `<gf-tickets-portal-new-page>` at `/portal/tickets/new` is the same
 * form for a customer, who opens a ticket for themselves in a queue open to customers and sets only the title,
 * queue, priority and message. A 400 shows each field's error next to it; success opens the new ticket.
 * @module
 */
import { navigate } from '@goatflow/sdk/widget';
import { css, html, nothing, type PropertyValues } from 'lit';
import '../components/composer.js';
import type { TicketsComposer } from '../components/composer.js';
import '../components/customer-picker.js';
import { pendingUntilField, selectField, textField } from '../components/form-fields.js';
import '../components/toast.js';
import { V1 } from '../lib/api.js';
import { fromLocalInput } from '../lib/format.js';
import { focusHeading } from '../lib/page-focus.js';
import { userName } from '../lib/people.js';
import { QueueOwnersRequest } from '../lib/queue-owners.js';
import { loadReference, type Reference } from '../lib/reference.js';
import { TicketsPage } from '../lib/tickets-page.js';
import {
  type ArticleInput,
  type CustomerUser,
  isPending,
  type Queue,
  type QueueOwner,
  type TicketCreateInput,
  type TicketDetail,
} from '../lib/types.js';

interface NewTicketData {
  queues: Queue[];
  reference: Reference;
}

interface Draft {
  title: string;
  queueId: string;
  stateId: string;
  priorityId: string;
  typeId: string;
  ownerId: string;
  pendingUntil: string;
}

/** The ticket fields the form shows next to an input (the rest of a 400 goes to the composer or the form). */
const TICKET_FIELDS = [
  'title',
  'queueId',
  'customerUserId',
  'stateId',
  'priorityId',
  'typeId',
  'ownerId',
  'pendingUntil',
];

export class TicketNewPage extends TicketsPage<NewTicketData> {
  /** The customer's form: no customer, state, type or owner, and the portal's links. */
  static portal = false;

  static override properties = {
    ...TicketsPage.properties,
    draft: { state: true },
    customer: { state: true },
    owners: { state: true },
    errors: { state: true },
    sending: { state: true },
  };

  declare private draft: Draft;
  declare private customer: CustomerUser | null;
  declare private owners: QueueOwner[];
  declare private errors: Record<string, string>;
  declare private sending: boolean;

  private focused = false;
  private ownersFor: string | undefined;
  private readonly ownersRequest = new QueueOwnersRequest();

  constructor() {
    super();
    this.draft = {
      title: '',
      queueId: '',
      stateId: '',
      priorityId: '3',
      typeId: '',
      ownerId: '',
      pendingUntil: '',
    };
    this.customer = null;
    this.owners = [];
    this.errors = {};
    this.sending = false;
  }

  static override styles = [
    TicketsPage.styles,
    css`
      .page {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-4, 16px);
        max-width: 60rem;
      }

      .form-grid {
        margin-bottom: var(--gf-space-2, 8px);
      }
    `,
  ];

  private get portal(): boolean {
    return (this.constructor as typeof TicketNewPage).portal;
  }

  protected override async load(signal: AbortSignal): Promise<NewTicketData> {
    const [queues, reference] = await Promise.all([
      this.api.get<{ items: Queue[] }>(`${V1}/queues`, { signal, query: { valid: 'true' } }),
      loadReference(signal),
    ]);
    const usable = queues.items.filter((q) => q.can.create);
    if (!this.draft.queueId && usable.length === 1)
      this.draft = { ...this.draft, queueId: String(usable[0]?.id) };
    return { queues: usable, reference };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.focused && this.state === 'ready') this.focused = focusHeading(this.renderRoot);
    if (!this.portal && this.draft.queueId !== this.ownersFor) {
      this.ownersFor = this.draft.queueId;
      void this.loadOwners(this.draft.queueId);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownersRequest.abort();
  }

  private async loadOwners(queueId: string): Promise<void> {
    this.owners = [];
    if (!queueId) {
      this.ownersRequest.abort();
      return;
    }
    // The owner stays unset when the list cannot be had: a ticket without one is fine.
    const owners = await this.ownersRequest.load(Number(queueId));
    if (owners) this.owners = owners;
  }

  private set(key: keyof Draft, value: string): void {
    this.draft = { ...this.draft, [key]: value };
  }

  private body(article: ArticleInput): TicketCreateInput {
    const d = this.draft;
    const body: TicketCreateInput = {
      title: d.title,
      queueId: Number(d.queueId),
      priorityId: Number(d.priorityId) || 3,
      article: { ...article, internal: false },
    };
    if (this.portal) return body;
    if (this.customer) body.customerUserId = this.customer.id;
    if (d.stateId) body.stateId = Number(d.stateId);
    if (d.typeId) body.typeId = Number(d.typeId);
    if (d.ownerId) body.ownerId = Number(d.ownerId);
    const pendingUntil = fromLocalInput(d.pendingUntil);
    if (pendingUntil && isPending(this.stateType())) body.pendingUntil = pendingUntil;
    return body;
  }

  private stateType() {
    return this.data?.reference.states.find((s) => String(s.id) === this.draft.stateId)?.type;
  }

  /** Errors of the form's own fields, and those of the article for the composer. */
  private splitErrors(all: Record<string, string>): {
    form: Record<string, string>;
    article: Record<string, string>;
  } {
    const form: Record<string, string> = {};
    const article: Record<string, string> = {};
    for (const [path, message] of Object.entries(all)) {
      if (path.startsWith('article.')) article[path.slice('article.'.length)] = message;
      else form[path] = message;
    }
    return { form, article };
  }

  private readonly onCompose = async (event: CustomEvent<ArticleInput>): Promise<void> => {
    const composer = event.target as TicketsComposer;
    const body = this.body(event.detail);
    // What the browser can tell at once is said at once, next to the field; the server checks everything again.
    const missing: Record<string, string> = {};
    if (!body.title.trim()) missing.title = this.t('error.field.required');
    if (!body.queueId) missing.queueId = this.t('error.field.required');
    if (Object.keys(missing).length) {
      this.errors = missing;
      this.focusFirstError();
      return;
    }
    this.sending = true;
    this.errors = {};
    composer.errors = {};
    try {
      const ticket = await this.api.post<TicketDetail>(`${V1}/tickets`, body);
      navigate(`${this.portal ? '/portal/tickets' : '/tickets'}/${ticket.id}`);
    } catch (error) {
      const { form, article } = this.splitErrors(this.fieldErrorsOf(error));
      this.errors = form;
      composer.errors = article;
      this.toastFailure('new.failed', error);
      this.focusFirstError();
    } finally {
      this.sending = false;
    }
  };

  private focusFirstError(): void {
    void this.updateComplete.then(() => {
      const invalid = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
      invalid?.focus();
    });
  }

  /** One of the form's selects; its id and test id are `new-<key>`, which the browser tests select by. */
  private renderSelect(
    key: 'queueId' | 'stateId' | 'priorityId' | 'typeId' | 'ownerId',
    options: readonly { id: number; name: string }[],
    empty?: string,
    required = false,
  ) {
    return selectField({
      id: `new-${key}`,
      label: this.t(`field.${key}`),
      value: this.draft[key],
      options,
      empty,
      required,
      error: this.errors[key],
      onChange: (value) => this.set(key, value),
    });
  }

  protected override renderContent(data: NewTicketData) {
    const { reference } = data;
    const pendingError = this.errors.pendingUntil;
    const other = Object.entries(this.errors)
      .filter(([path]) => !TICKET_FIELDS.includes(path))
      .map(([, message]) => message)
      .join(' ');
    if (data.queues.length === 0) {
      return html`<div class="page">
        <h2 tabindex="-1">${this.t('new.heading')}</h2>
        <p class="empty" data-testid="new-no-queue">${this.t('new.noQueue')}</p>
      </div>`;
    }
    return html`<div class="page">
        <h2 tabindex="-1" data-testid="new-heading">${this.t('new.heading')}</h2>
        <p class="muted">${this.t('new.required')}</p>
        <div class="form-grid" role="group" aria-label=${this.t('new.ticketFields')}>
          ${textField({
            id: 'new-title',
            label: this.t('field.title'),
            value: this.draft.title,
            maxLength: 255,
            required: true,
            wide: true,
            error: this.errors.title,
            onChange: (value) => this.set('title', value),
          })}
          ${this.renderSelect('queueId', data.queues, this.t('new.chooseQueue'), true)}
          ${
            this.portal
              ? nothing
              : html`<gf-tickets-customer-picker
                  .label=${this.t('field.customerUserId')}
                  testid="new-customer"
                  .value=${this.customer}
                  .error=${this.errors.customerUserId ?? ''}
                  @change=${(e: CustomEvent<{ customer: CustomerUser | null }>) => {
                    this.customer = e.detail.customer;
                  }}
                ></gf-tickets-customer-picker>`
          }
          ${this.renderSelect('priorityId', reference.priorities)}
          ${
            this.portal
              ? nothing
              : html`${this.renderSelect(
                  'stateId',
                  reference.states.filter((s) => s.type !== 'merged'),
                  this.t('new.defaultState'),
                )}
                ${
                  isPending(this.stateType())
                    ? pendingUntilField({
                        id: 'new-pendingUntil',
                        label: this.t('field.pendingUntil'),
                        value: this.draft.pendingUntil,
                        error: pendingError,
                        onChange: (value) => this.set('pendingUntil', value),
                      })
                    : nothing
                }
                ${this.renderSelect('typeId', reference.types, this.t('field.none'))}
                ${this.renderSelect(
                  'ownerId',
                  this.owners.map((o) => ({ id: o.id, name: userName(o) })),
                  this.t('field.nobody'),
                )}`
          }
        </div>
        ${other ? html`<p class="alert" role="alert">${other}</p>` : nothing}
        <gf-tickets-composer
          allow-reply
          .heading=${this.t('new.message')}
          .submitLabel=${this.t('new.submit')}
          ?busy=${this.sending}
          @compose=${this.onCompose}
        ></gf-tickets-composer>
      </div>
      <gf-tickets-toast></gf-tickets-toast>`;
  }
}

/** `<gf-tickets-portal-new-page>`: the customer's form. */
export class PortalNewPage extends TicketNewPage {
  static override portal = true;
}

if (!customElements.get('gf-ticket-new-page')) customElements.define('gf-ticket-new-page', TicketNewPage);
if (!customElements.get('gf-tickets-portal-new-page')) {
  customElements.define('gf-tickets-portal-new-page', PortalNewPage);
}
