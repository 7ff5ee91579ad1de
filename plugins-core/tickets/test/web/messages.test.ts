/**
 * The UI's message tables: German has exactly the keys of English, and every key the code asks for exists,
 * the literal ones found in the sources and the families built from the API's enums.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HISTORY_ACTIONS, SENDER_TYPES } from '../../src/api/schemas.js';
import { ERROR_CODES, FIELD_CODES } from '../../web/lib/errors.js';
import { MESSAGES } from '../../web/lib/messages.js';
import { STATE_TYPES, TICKET_SORTS } from '../../web/lib/types.js';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const en = MESSAGES.en ?? {};
const de = MESSAGES.de ?? {};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [fs.readFileSync(file, 'utf8')] : [];
  });
}

describe('the UI messages', () => {
  it('German has exactly the English keys, none empty', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const table of [en, de]) {
      for (const [key, text] of Object.entries(table)) expect(text.trim(), key).not.toBe('');
    }
  });

  it('has every key the code names literally', () => {
    const used = new Set<string>();
    for (const source of sources(webDir)) {
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(match[1] as string);
      // Keys passed around as data, e.g. `label: 'admin.col.name'` in the admin page's kinds.
      for (const match of source.matchAll(/\b(?:label|title|empty): '([a-z]+\.[\w.]+)'/g))
        used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !(key in en))).toEqual([]);
  });

  it('has every key the code builds from the API', () => {
    const families = [
      ...STATE_TYPES.map((v) => `stateType.${v}`),
      ...TICKET_SORTS.map((v) => `sort.${v}`),
      ...HISTORY_ACTIONS.map((v) => `history.action.${v}`),
      ...SENDER_TYPES.map((v) => `sender.${v}`),
      ...[...FIELD_CODES].map((v) => `error.field.${v}`),
      ...[...ERROR_CODES].map((v) => `error.${v}`),
      ...['tn', 'title', 'queue', 'state', 'priority', 'customer', 'owner', 'created', 'changed'].map(
        (v) => `column.${v}`,
      ),
      ...['queue', 'state', 'priority', 'type'].map((v) => `filter.${v}`),
      ...['title', 'queueId', 'stateId', 'priorityId', 'typeId', 'ownerId'].map((v) => `field.${v}`),
      ...['stateId', 'queueId', 'priorityId', 'ownerId'].map((v) => `bulk.${v}`),
      ...['queues', 'states', 'types', 'companies', 'customers'].flatMap((v) => [
        `admin.${v}`,
        `admin.newItem.${v}`,
        `admin.editItem.${v}`,
      ]),
      ...['all', 'open', 'closed'].map((v) => `portal.show.${v}`),
      ...['new', 'open', 'pending'].map((v) => `queueStatus.${v}`),
    ];
    expect(families.filter((key) => !(key in en))).toEqual([]);
  });
});
