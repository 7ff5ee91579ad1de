/**
 * `<gf-tickets-ticket-fields>`: a ticket's state, priority, type, queue and owner beside its articles. Each is a
 * control only where the ticket's `can` allows the change (`update` for state, priority, type and owner, `move`
 * for the queue) and plain text otherwise. A pending state asks for the time it waits until. Saving fires
 * `fields-change` with only what changed; the page sends it and hands back field `errors`.
 * @module
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { otherFieldErrors } from '../lib/errors.js';
import { formatDateTime, fromLocalInput, toLocalInput } from '../lib/format.js';
import { userName } from '../lib/people.js';
import { QueueOwnersRequest } from '../lib/queue-owners.js';
import type { Reference } from '../lib/reference.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import {
  isPending,
  type Queue,
  type QueueOwner,
  type TicketDetail,
  type TicketUpdateInput,
} from '../lib/types.js';
import { pendingUntilField, selectField } from './form-fields.js';

/** The fields this panel changes. */
export type TicketFieldsChange = Pick<
  TicketUpdateInput,
  'stateId' | 'priorityId' | 'typeId' | 'queueId' | 'ownerId' | 'pendingUntil'
>;

interface Draft {
  stateId: string;
  priorityId: string;
  typeId: string;
  queueId: string;
  ownerId: string;
  pendingUntil: string;
}

const SHOWN = ['stateId', 'priorityId', 'typeId', 'queueId', 'ownerId', 'pendingUntil'];

export class TicketsTicketFields extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    ticket: { attribute: false },
    queues: { attribute: false },
    reference: { attribute: false },
    busy: { type: Boolean },
    errors: { attribute: false },
    draft: { state: true },
    owners: { state: true },
  };

  declare ticket: TicketDetail | undefined;
  declare queues: readonly Queue[];
  declare reference: Reference | undefined;
  declare busy: boolean;
  declare errors: Record<string, string>;
  declare private draft: Draft;
  declare private owners: QueueOwner[];

  private ownersFor: number | undefined;
  private readonly ownersRequest = new QueueOwnersRequest();

  constructor() {
    super();
    this.ticket = undefined;
    this.queues = [];
    this.reference = undefined;
    this.busy = false;
    this.errors = {};
    this.draft = { stateId: '', priorityId: '', typeId: '', queueId: '', ownerId: '', pendingUntil: '' };
    this.owners = [];
  }

  static override styles = [
    ticketsStyles,
    css`
      form,
      dl {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3, 12px);
        margin: 0;
      }

      dt {
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }

      dd {
        margin: 0;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues): void {
    const ticket = this.ticket;
    if (changed.has('ticket') && ticket) {
      this.draft = {
        stateId: String(ticket.state.id),
        priorityId: String(ticket.priority.id),
        typeId: ticket.type ? String(ticket.type.id) : '',
        queueId: String(ticket.queue.id),
        ownerId: ticket.owner ? String(ticket.owner.id) : '',
        pendingUntil: toLocalInput(ticket.pendingUntil),
      };
    }
    // The owners offered are those of the queue the ticket will be in.
    const queue = Number(this.draft.queueId) || undefined;
    if (ticket?.can.update && queue !== this.ownersFor) {
      this.ownersFor = queue;
      void this.loadOwners(queue);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownersRequest.abort();
  }

  private async loadOwners(queue: number | undefined): Promise<void> {
    if (queue === undefined) {
      this.ownersRequest.abort();
      return;
    }
    const owners = await this.ownersRequest.load(queue);
    if (owners) this.owners = owners;
  }

  private stateType() {
    return this.reference?.states.find((s) => String(s.id) === this.draft.stateId)?.type;
  }

  /** What differs from the ticket, as the API's fields. */
  private changes(): TicketFieldsChange {
    const ticket = this.ticket;
    const d = this.draft;
    const out: TicketFieldsChange = {};
    if (!ticket) return out;
    if (d.stateId !== String(ticket.state.id)) out.stateId = Number(d.stateId);
    if (d.priorityId !== String(ticket.priority.id)) out.priorityId = Number(d.priorityId);
    if (d.typeId !== (ticket.type ? String(ticket.type.id) : ''))
      out.typeId = d.typeId ? Number(d.typeId) : null;
    if (d.queueId !== String(ticket.queue.id)) out.queueId = Number(d.queueId);
    if (d.ownerId !== (ticket.owner ? String(ticket.owner.id) : ''))
      out.ownerId = d.ownerId ? Number(d.ownerId) : null;
    if (isPending(this.stateType()) && d.pendingUntil !== toLocalInput(ticket.pendingUntil)) {
      out.pendingUntil = fromLocalInput(d.pendingUntil) ?? null;
    }
    return out;
  }

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const changes = this.changes();
    if (Object.keys(changes).length === 0) return;
    this.dispatchEvent(new CustomEvent('fields-change', { detail: changes }));
  };

  private set(key: keyof Draft, value: string): void {
    this.draft = { ...this.draft, [key]: value };
  }

  private renderSelect(
    key: 'stateId' | 'priorityId' | 'typeId' | 'queueId' | 'ownerId',
    options: readonly { id: number; name: string }[],
    empty?: string,
  ) {
    return selectField({
      id: `field-${key}`,
      label: this.t(`field.${key}`),
      value: this.draft[key],
      options,
      empty,
      error: this.errors[key],
      onChange: (value) => this.set(key, value),
    });
  }

  private renderText(label: string, value: string, testid: string) {
    return html`<div>
      <dt>${label}</dt>
      <dd data-testid=${testid}>${value || '–'}</dd>
    </div>`;
  }

  override render() {
    const ticket = this.ticket;
    const reference = this.reference;
    if (!ticket || !reference) return nothing;
    const { can } = ticket;
    const editable = can.update || can.move;
    // Only valid entries are offered, plus the ticket's own (an invalid state it is still in, say).
    const states = reference.states.filter((s) => s.type !== 'merged' || s.id === ticket.state.id);
    const withCurrent = <T extends { id: number; name: string }>(
      list: readonly T[],
      current: { id: number; name: string | null } | null,
    ) =>
      current && !list.some((e) => e.id === current.id)
        ? [...list, { id: current.id, name: current.name ?? `#${current.id}` }]
        : list;
    const queues = withCurrent(
      this.queues.filter((q) => q.valid && q.can.moveInto),
      ticket.queue,
    );
    const owners = withCurrent(
      this.owners.map((o) => ({ id: o.id, name: userName(o) })),
      ticket.owner ? { id: ticket.owner.id, name: userName(ticket.owner) } : null,
    );
    const pending = isPending(this.stateType());
    const pendingError = this.errors.pendingUntil;
    const other = otherFieldErrors(this.errors, SHOWN);
    const read = html`
      ${can.update ? nothing : this.renderText(this.t('field.stateId'), ticket.state.name, 'ticket-state')}
      ${can.update ? nothing : this.renderText(this.t('field.priorityId'), ticket.priority.name, 'ticket-priority')}
      ${can.update ? nothing : this.renderText(this.t('field.typeId'), ticket.type?.name ?? '', 'ticket-type')}
      ${can.move ? nothing : this.renderText(this.t('field.queueId'), ticket.queue.name ?? '', 'ticket-queue')}
      ${can.update ? nothing : this.renderText(this.t('field.ownerId'), userName(ticket.owner), 'ticket-owner')}
      ${!can.update && ticket.pendingUntil ? this.renderText(this.t('field.pendingUntil'), formatDateTime(ticket.pendingUntil, this.locale), 'ticket-pending') : nothing}
    `;
    if (!editable) return html`<dl>${read}</dl>`;
    return html`<form data-testid="ticket-fields" aria-label=${this.t('detail.fields')} @submit=${this.onSubmit}>
      ${can.update ? this.renderSelect('stateId', states) : nothing}
      ${
        can.update && pending
          ? pendingUntilField({
              id: 'field-pendingUntil',
              label: this.t('field.pendingUntil'),
              value: this.draft.pendingUntil,
              error: pendingError,
              onChange: (value) => this.set('pendingUntil', value),
            })
          : nothing
      }
      ${can.update ? this.renderSelect('priorityId', reference.priorities) : nothing}
      ${can.update ? this.renderSelect('typeId', withCurrent(reference.types, ticket.type), this.t('field.none')) : nothing}
      ${can.move ? this.renderSelect('queueId', queues) : nothing}
      ${can.update ? this.renderSelect('ownerId', owners, this.t('field.nobody')) : nothing}
      <dl>${read}</dl>
      ${other ? html`<p class="field-error">${other}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="fields-save" ?disabled=${this.busy}>
          ${this.t('detail.save')}
        </button>
      </div>
    </form>`;
  }
}

if (!customElements.get('gf-tickets-ticket-fields')) {
  customElements.define('gf-tickets-ticket-fields', TicketsTicketFields);
}
