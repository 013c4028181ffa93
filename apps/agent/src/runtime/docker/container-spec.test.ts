import { describe, expect, it } from 'vitest';
import type { RuntimeInstance } from '../runtime';
import { confFacts } from './conf-facts';
import { containerSpec, memoryLimitBytes } from './container-spec';

const instance: RuntimeInstance = {
  name: 'shop',
  version: '17.0',
  dir: '/srv/ordo/instances/shop',
  confPath: '/srv/ordo/instances/shop/odoo.conf',
  logfile: '/srv/ordo/instances/shop/odoo.log',
  versionDir: '/srv/ordo/versions/17.0',
};

const conf = (extra = '') =>
  confFacts(
    [
      '[options]',
      'addons_path = /srv/ordo/versions/17.0/odoo/addons,/srv/ordo/instances/shop/addons',
      'data_dir = /srv/ordo/instances/shop/data',
      'logfile = /srv/ordo/instances/shop/odoo.log',
      'http_interface = 127.0.0.1',
      'http_port = 8100',
      'gevent_port = 8101',
      'workers = 0',
      'max_cron_threads = 1',
      `limit_memory_hard = ${512 * 1024 * 1024}`,
      extra,
    ].join('\n'),
  );

describe('containerSpec', () => {
  it('names, labels and mounts the container of an instance', () => {
    const spec = containerSpec({
      instance,
      root: '/srv/ordo',
      image: 'registry.example.com/odoo-runtime:bookworm',
      facts: conf(),
      user: '998:997',
      interpreterPrefix: null,
    });
    expect(spec).toMatchObject({
      name: 'ordo-shop',
      Image: 'registry.example.com/odoo-runtime:bookworm',
      Entrypoint: ['/srv/ordo/versions/17.0/venv/bin/python'],
      Cmd: ['/srv/ordo/versions/17.0/odoo/odoo-bin', '-c', '/srv/ordo/instances/shop/odoo.conf'],
      User: '998:997',
      WorkingDir: '/srv/ordo/instances/shop',
      Labels: {
        'ordo.managed': 'true',
        'ordo.instance': 'shop',
        'ordo.agent-root': '/srv/ordo',
        'ordo.version': '17.0',
      },
      HostConfig: {
        NetworkMode: 'host',
        RestartPolicy: { Name: 'unless-stopped' },
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: 512 * 1024 * 1024,
        MemorySwap: 512 * 1024 * 1024,
      },
    });
    expect(spec.HostConfig?.Mounts).toEqual([
      bind('/srv/ordo/instances/shop', false),
      bind('/srv/ordo/versions/17.0', true),
      bind('/srv/ordo/instances/shop/odoo.conf', true),
    ]);
  });

  it("mounts an admin's extra addons paths read-only and a non-system Python", () => {
    const facts = conf();
    facts.addonsPaths.push('/opt/addons/oca', '/srv/ordo/instances/shop/repos/7');
    const spec = containerSpec({
      instance,
      root: '/srv/ordo',
      image: 'img',
      facts,
      user: '0:0',
      interpreterPrefix: '/root/.pyenv/versions/3.10.13',
    });
    expect(spec.HostConfig?.Mounts).toEqual([
      bind('/opt/addons/oca', true),
      bind('/root/.pyenv/versions/3.10.13', true),
      bind('/srv/ordo/instances/shop', false),
      bind('/srv/ordo/versions/17.0', true),
      bind('/srv/ordo/instances/shop/odoo.conf', true),
    ]);
  });
});

describe('memoryLimitBytes', () => {
  it('is limit_memory_hard for threaded mode', () => {
    expect(memoryLimitBytes(conf())).toBe(512 * 1024 * 1024);
  });

  it('covers every process in prefork mode: main, workers, cron workers, gevent', () => {
    // Later keys win in odoo.conf, as with RawConfigParser.
    const facts = conf('workers = 3\nmax_cron_threads = 2');
    expect(memoryLimitBytes(facts)).toBe(512 * 1024 * 1024 * (1 + 3 + 2 + 1));
  });
});

describe('confFacts', () => {
  it("reads Odoo's defaults for keys odoo.conf leaves out", () => {
    expect(confFacts('[options]\n')).toEqual({
      httpInterface: '',
      httpPort: 8069,
      geventPort: 8072,
      workers: 0,
      maxCronThreads: 2,
      limitMemoryHard: 2560 * 1024 * 1024,
      addonsPaths: [],
      dataDir: null,
      logfile: null,
    });
    expect(confFacts('[options]\nlongpolling_port = 9000\n').geventPort).toBe(9000);
  });

  it('names a key whose value is not a number', () => {
    expect(() => confFacts('[options]\nhttp_port = eighty\n')).toThrow(
      'http_port = eighty is not a whole number',
    );
  });
});

function bind(path: string, readOnly: boolean) {
  return { Type: 'bind', Source: path, Target: path, ReadOnly: readOnly };
}
