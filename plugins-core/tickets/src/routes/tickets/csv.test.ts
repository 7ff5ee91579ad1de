import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../../api/schemas.js';
import { csvCell, ticketsCsv } from './csv.js';

describe('csvCell', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(42)).toBe('"42"');
    expect(csvCell(null)).toBe('""');
  });

  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tx', '\rx'])(
    'neutralises the formula %j with a leading apostrophe',
    (value) => {
      expect(csvCell(value)).toBe(`"'${value.replaceAll('"', '""')}"`);
    },
  );

  it('leaves numbers alone, even negative ones', () => {
    expect(csvCell(-3)).toBe('"-3"');
  });
});

describe('ticketsCsv', () => {
  it('writes a header and one CRLF line per ticket, after a byte order mark', () => {
    const ticket: TicketSummary = {
      id: 7,
      tn: '2024050100000007',
      title: '=cmd|calc',
      queue: { id: 1, name: 'Support' },
      state: { id: 2, name: 'open', type: 'open' },
      priority: { id: 3, name: 'normal' },
      type: null,
      owner: { id: 5, login: 'alice', firstName: 'Alice', lastName: 'A' },
      responsible: null,
      customerUser: null,
      customerCompany: null,
      pendingUntil: null,
      locked: false,
      createdAt: '2024-05-01T09:00:00.000Z',
      changedAt: '2024-05-02T09:00:00.000Z',
    };
    const csv = ticketsCsv([ticket]);
    expect(csv.startsWith('\uFEFF"id","number","title"')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      '"7","2024050100000007","\'=cmd|calc","Support","open","open","normal","","alice","","","","","false","2024-05-01T09:00:00.000Z","2024-05-02T09:00:00.000Z"',
    );
    expect(lines[2]).toBe('');
  });
});
