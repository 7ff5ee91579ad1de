/**
 * The shared form fields as the browser gets them: the markup their templates make (ids and test ids the browser
 * tests select by, the empty choice, which option is selected, the required mark, the error) and what their
 * listeners report (the control's string value, on `change` for a select and on `input` for a line of text).
 * Lit's templates are plain data in Node, so they are written out here as the browser would parse them.
 */
import { nothing, type TemplateResult } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import { pendingUntilField, selectField, textField } from '../../web/components/form-fields.js';

interface Rendered {
  markup: string;
  /** The listeners bound, by event name. */
  listeners: Record<string, ((event: Event) => void)[]>;
}

function isTemplate(value: unknown): value is TemplateResult {
  return typeof value === 'object' && value !== null && 'strings' in value && 'values' in value;
}

/** Writes a template out: `?attr` bindings become present or absent, `.prop` ones `.prop="…"`, `@event` ones listeners. */
function render(template: TemplateResult): Rendered {
  const listeners: Rendered['listeners'] = {};
  const write = (value: unknown): string => {
    if (value === nothing || value === undefined || value === null || value === false) return '';
    if (Array.isArray(value)) return value.map(write).join('');
    if (!isTemplate(value)) return String(value);
    let out = value.strings[0] ?? '';
    value.values.forEach((part, i) => {
      const binding = /\s([?.@]?)([\w-]+)=$/.exec(out);
      if (binding) {
        const [whole, kind, name] = binding;
        out = out.slice(0, -whole.length);
        if (kind === '@')
          listeners[name ?? ''] = [...(listeners[name ?? ''] ?? []), part as (e: Event) => void];
        else if (kind === '?') out += part ? ` ${name}` : '';
        else if (part !== nothing) out += ` ${kind}${name}="${String(part)}"`;
      } else {
        out += write(part);
      }
      out += value.strings[i + 1] ?? '';
    });
    return out;
  };
  const markup = write(template).replace(/\s+/g, ' ').replace(/ >/g, '>');
  return { markup, listeners };
}

/** The event a control sends with its current value. */
function eventWith(value: string): Event {
  return { target: { value } } as unknown as Event;
}

const queues = [
  { id: 4, name: 'Hardware' },
  { id: 7, name: 'Software' },
];

describe('selectField', () => {
  it('names the control by its id, offers the empty choice first and selects the one the value names', () => {
    const { markup } = render(
      selectField({
        id: 'new-queueId',
        label: 'Queue',
        value: '7',
        options: queues,
        empty: 'Choose a queue',
        required: true,
        onChange: () => {},
      }),
    );
    expect(markup).toContain('<label for="new-queueId">Queue<span aria-hidden="true"> *</span></label>');
    expect(markup).toContain(
      '<select id="new-queueId" data-testid="new-queueId" required aria-invalid="false">',
    );
    const options = markup.match(/<option[^>]*>[^<]*<\/option>/g);
    expect(options).toEqual([
      '<option value="">Choose a queue</option>',
      '<option value="4">Hardware</option>',
      '<option value="7" selected>Software</option>',
    ]);
  });

  it('selects the empty choice for an empty value, and offers none unless asked', () => {
    const empty = render(
      selectField({ id: 'x', label: 'X', value: '', options: queues, empty: '–', onChange: () => {} }),
    );
    expect(empty.markup).toContain('<option value="" selected>–</option>');
    expect(empty.markup).not.toContain(' required');
    const without = render(
      selectField({ id: 'x', label: 'X', value: '4', options: queues, onChange: () => {} }),
    );
    expect(without.markup).not.toContain('value=""');
    expect(without.markup).toContain('<option value="4" selected>Hardware</option>');
  });

  it('reports the chosen id as the string the select holds, on change only', () => {
    const onChange = vi.fn();
    const { listeners } = render(selectField({ id: 'x', label: 'X', value: '', options: queues, onChange }));
    expect(Object.keys(listeners)).toEqual(['change']);
    listeners.change?.[0]?.(eventWith('7'));
    expect(onChange).toHaveBeenCalledWith('7');
  });

  it('marks itself invalid and points at its error, which it shows below', () => {
    const { markup } = render(
      selectField({
        id: 'new-queueId',
        label: 'Q',
        value: '',
        options: [],
        error: 'Required',
        onChange: () => {},
      }),
    );
    expect(markup).toContain('aria-invalid="true" aria-describedby="new-queueId-error"');
    expect(markup).toContain(
      '<span class="field-error" id="new-queueId-error" data-testid="new-queueId-error">Required</span>',
    );
  });
});

describe('textField', () => {
  it('is a required, limited line of text across the row, holding its value as a property', () => {
    const { markup } = render(
      textField({
        id: 'new-title',
        label: 'Title',
        value: 'Printer',
        maxLength: 255,
        required: true,
        wide: true,
        onChange: () => {},
      }),
    );
    expect(markup).toContain('<div class="field wide">');
    expect(markup).toContain('<label for="new-title">Title<span aria-hidden="true"> *</span></label>');
    expect(markup).toContain(
      '<input id="new-title" data-testid="new-title" maxlength="255" required aria-invalid="false" .value="Printer" />',
    );
  });

  it('reports every keystroke (input), so a send reads what the field shows', () => {
    const onChange = vi.fn();
    const { listeners, markup } = render(
      textField({ id: 't', label: 'T', value: '', maxLength: 10, onChange }),
    );
    expect(markup).toContain('<div class="field">');
    expect(markup).not.toContain(' required');
    expect(Object.keys(listeners)).toEqual(['input']);
    listeners.input?.[0]?.(eventWith('Print'));
    expect(onChange).toHaveBeenCalledWith('Print');
  });
});

describe('pendingUntilField', () => {
  it('is a required local date-time that reports on change', () => {
    const onChange = vi.fn();
    const { listeners, markup } = render(
      pendingUntilField({ id: 'new-pendingUntil', label: 'Pending until', value: '', onChange }),
    );
    expect(markup).toContain('type="datetime-local" required data-testid="new-pendingUntil"');
    listeners.change?.[0]?.(eventWith('2030-01-02T03:04'));
    expect(onChange).toHaveBeenCalledWith('2030-01-02T03:04');
  });
});
