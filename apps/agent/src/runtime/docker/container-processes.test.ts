import { describe, expect, it } from 'vitest';
import { containerProcesses, topArguments } from './container-processes';

const CONF = '/srv/ordo/instances/shop/odoo.conf';
const ODOO = `/srv/ordo/versions/17.0/venv/bin/python /srv/ordo/versions/17.0/odoo/odoo-bin -c ${CONF}`;

describe('containerProcesses', () => {
  it("reads podman's top: host pids, roles, RSS in bytes, the main process first", () => {
    const processes = containerProcesses(
      {
        Titles: ['PID', 'HPID', 'RSS', 'COMMAND'],
        Processes: [
          ['7', '5007', '2048', `${ODOO} WorkerHTTP`],
          ['1', '5001', '40960', ODOO],
          ['9', '5009', '1024', `${ODOO} gevent`],
          ['12', '5012', '512', '/usr/bin/pg_dump shop'],
          ['8', '5008', '2000', ODOO],
        ],
      },
      5001,
      CONF,
    );
    expect(processes).toEqual([
      { pid: 5001, role: 'main', rssBytes: 40960 * 1024 },
      { pid: 5007, role: 'http-worker', rssBytes: 2048 * 1024 },
      { pid: 5008, role: 'worker', rssBytes: 2000 * 1024 },
      { pid: 5009, role: 'gevent', rssBytes: 1024 * 1024 },
      { pid: 5012, role: 'helper', rssBytes: 512 * 1024 },
    ]);
  });

  it("reads Docker's top (host pids in PID) and tolerates a missing RSS column", () => {
    expect(
      containerProcesses(
        { Titles: ['UID', 'PID', 'CMD'], Processes: [['0', '300', ODOO]] },
        300,
        CONF,
      ),
    ).toEqual([{ pid: 300, role: 'main', rssBytes: null }]);
    expect(containerProcesses({ Titles: ['CMD'], Processes: null }, 300, CONF)).toEqual([]);
  });

  it('asks each engine in its own terms', () => {
    expect(topArguments('podman')).toBe('pid,hpid,rss,args');
    expect(topArguments('docker')).toBe('-o pid,rss,args');
  });
});
