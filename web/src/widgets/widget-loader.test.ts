import { describe, expect, it, vi } from 'vitest';
import { isCustomElementName, loadWidget, sameWidgetElement } from './widget-loader.js';

describe('isCustomElementName', () => {
  it('accepts custom element names', () => {
    expect(isCustomElementName('gf-open-tickets')).toBe(true);
    expect(isCustomElementName('x-a.b_c-1')).toBe(true);
  });

  it('rejects built-in, malformed and reserved names', () => {
    for (const name of [
      'script',
      'iframe',
      'Gf-widget',
      '1-widget',
      '-widget',
      'gf widget',
      'font-face',
      '',
    ]) {
      expect(isCustomElementName(name)).toBe(false);
    }
  });
});

describe('loadWidget', () => {
  it('refuses an invalid element name before importing anything', async () => {
    const importer = vi.fn(async () => ({}));
    const widget = { id: 'w', plugin: 'p', title: 'T', element: 'script', module: '/m.js' };
    await expect(loadWidget(widget, importer)).rejects.toThrow('not a valid custom element name');
    expect(importer).not.toHaveBeenCalled();
  });
});

describe('sameWidgetElement', () => {
  const widget = { id: 'w', plugin: 'p', title: 'T', element: 'x-w', module: '/m.js' };

  it('ignores a new title but not a new element, module or owner', () => {
    expect(sameWidgetElement(widget, { ...widget, title: 'Titel' })).toBe(true);
    expect(sameWidgetElement(widget, { ...widget, element: 'x-v' })).toBe(false);
    expect(sameWidgetElement(widget, { ...widget, module: '/n.js' })).toBe(false);
    expect(sameWidgetElement(widget, { ...widget, plugin: 'q' })).toBe(false);
    expect(sameWidgetElement(null, widget)).toBe(false);
    expect(sameWidgetElement(null, null)).toBe(true);
  });
});
