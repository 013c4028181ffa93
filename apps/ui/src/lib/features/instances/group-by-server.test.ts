import { describe, expect, it } from 'vitest';
import { groupByServer } from './group-by-server';

describe('groupByServer', () => {
  it('groups instances under their server, servers and instances sorted by name', () => {
    const rows = [
      { serverId: 's2', serverName: 'zeta', name: 'shop' },
      { serverId: 's1', serverName: 'alpha', name: 'crm' },
      { serverId: 's2', serverName: 'zeta', name: 'accounting' },
      { serverId: 's1', serverName: 'alpha', name: 'blog' },
    ];
    expect(groupByServer(rows)).toEqual([
      {
        serverId: 's1',
        serverName: 'alpha',
        instances: [
          { serverId: 's1', serverName: 'alpha', name: 'blog' },
          { serverId: 's1', serverName: 'alpha', name: 'crm' },
        ],
      },
      {
        serverId: 's2',
        serverName: 'zeta',
        instances: [
          { serverId: 's2', serverName: 'zeta', name: 'accounting' },
          { serverId: 's2', serverName: 'zeta', name: 'shop' },
        ],
      },
    ]);
  });

  it('keeps two servers apart even when they share a name', () => {
    const rows = [
      { serverId: 'a', serverName: 'same', name: 'one' },
      { serverId: 'b', serverName: 'same', name: 'two' },
    ];
    expect(groupByServer(rows).map((group) => group.serverId)).toEqual(['a', 'b']);
  });

  it('gives no groups for no instances', () => {
    expect(groupByServer([])).toEqual([]);
  });
});
