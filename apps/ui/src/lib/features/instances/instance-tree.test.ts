import { describe, expect, it } from 'vitest';
import { nestStaging } from './instance-tree';

const production = (name: string) => ({ name, type: 'production' as const, parent: null });
const staging = (name: string, parent: string | null) => ({
  name,
  type: 'staging' as const,
  parent,
});

describe('nestStaging', () => {
  it('nests staging instances under their production parent, sorted by name', () => {
    const nodes = nestStaging([
      staging('shop-test-b', 'shop'),
      production('shop'),
      production('crm'),
      staging('shop-test-a', 'shop'),
      staging('crm-preview', 'crm'),
    ]);
    expect(nodes).toEqual([
      { instance: production('crm'), staging: [staging('crm-preview', 'crm')] },
      {
        instance: production('shop'),
        staging: [staging('shop-test-a', 'shop'), staging('shop-test-b', 'shop')],
      },
    ]);
  });

  it('shows a staging instance whose parent is gone as a card of its own', () => {
    expect(nestStaging([staging('orphan', 'deleted'), staging('lost', null)])).toEqual([
      { instance: staging('lost', null), staging: [] },
      { instance: staging('orphan', 'deleted'), staging: [] },
    ]);
  });

  it('does not nest under a staging instance that happens to be named as the parent', () => {
    const nodes = nestStaging([staging('a', null), staging('b', 'a')]);
    expect(nodes.map((node) => node.instance.name)).toEqual(['a', 'b']);
    expect(nodes.every((node) => node.staging.length === 0)).toBe(true);
  });

  it('gives nothing for nothing', () => {
    expect(nestStaging([])).toEqual([]);
  });
});
