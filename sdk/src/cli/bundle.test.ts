import { describe, expect, it } from 'vitest';
import { nodeConditions } from './bundle.js';

describe('nodeConditions', () => {
  it('collects --conditions and -C from the arguments and NODE_OPTIONS, each once', () => {
    expect(
      nodeConditions(
        ['--conditions=@goatflow/source', '-C', 'dev', '--import', 'tsx'],
        '--conditions=dev -C=x',
      ),
    ).toEqual(['@goatflow/source', 'dev', 'x']);
    expect(nodeConditions([], '')).toEqual([]);
  });
});
