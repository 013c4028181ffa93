import { describe, expect, it } from 'vitest';
import { formatIni, parseIni } from './conf-file';
import {
  DEFAULT_INSTANCE_SETTINGS,
  newOdooConf,
  OdooConfError,
  readInstanceConfig,
  withSettings,
} from './odoo-conf';

const input = {
  version: '17.0',
  database: 'shop',
  addonsPaths: ['/srv/v/17.0/odoo/addons', '/srv/i/shop/addons'],
  dataDir: '/srv/i/shop/data',
  logfile: '/srv/i/shop/odoo.log',
  adminPasswdHash: '$pbkdf2-sha512$600000$abc$def',
  pg: { host: '127.0.0.1', port: 5432, user: 'odoo', password: 's3cret' },
  httpInterface: '127.0.0.1',
  httpPort: 8100,
  geventPort: 8101,
};
const isOrdoPath = (path: string) => path.startsWith('/srv/');

describe('odoo.conf for an instance', () => {
  it('holds every key Odoo needs, with Ordo defaults', () => {
    expect(formatIni(newOdooConf(input))).toBe(
      [
        '[options]',
        'addons_path = /srv/v/17.0/odoo/addons,/srv/i/shop/addons',
        'data_dir = /srv/i/shop/data',
        'admin_passwd = $pbkdf2-sha512$600000$abc$def',
        'db_host = 127.0.0.1',
        'db_port = 5432',
        'db_user = odoo',
        'db_password = s3cret',
        'db_name = shop',
        'dbfilter = ^shop$',
        'list_db = False',
        'http_interface = 127.0.0.1',
        'http_port = 8100',
        'gevent_port = 8101',
        'logfile = /srv/i/shop/odoo.log',
        'workers = 0',
        'max_cron_threads = 1',
        'limit_memory_soft = 2147483648',
        'limit_memory_hard = 2684354560',
        'limit_time_cpu = 60',
        'limit_time_real = 120',
        'limit_time_real_cron = -1',
        'limit_request = 65536',
        'db_maxconn = 64',
        'proxy_mode = True',
        'log_level = info',
        'without_demo = all',
        '',
      ].join('\n'),
    );
  });

  it('calls the gevent port longpolling_port up to Odoo 15', () => {
    const options = newOdooConf({ ...input, version: '15.0' }).get('options');
    expect(options?.get('longpolling_port')).toBe('8101');
    expect(options?.has('gevent_port')).toBe(false);
    expect(
      readInstanceConfig(newOdooConf({ ...input, version: '15.0' }), isOrdoPath).managed.geventPort,
    ).toBe(8101);
  });

  it('reads settings back and applies changes, keeping Ordo keys and separating extra paths', () => {
    const config = readInstanceConfig(newOdooConf(input), isOrdoPath);
    expect(config).toEqual({
      settings: DEFAULT_INSTANCE_SETTINGS,
      managed: {
        httpPort: 8100,
        geventPort: 8101,
        dataDir: '/srv/i/shop/data',
        addonsPath: ['/srv/v/17.0/odoo/addons', '/srv/i/shop/addons'],
        dbName: 'shop',
        dbfilter: '^shop$',
        listDb: false,
        logfile: '/srv/i/shop/odoo.log',
      },
    });

    const changed = withSettings(
      newOdooConf(input),
      {
        ...config.settings,
        workers: 4,
        proxyMode: false,
        withoutDemo: false,
        extraAddonsPaths: ['/opt/extra'],
      },
      isOrdoPath,
    );
    const options = changed.get('options');
    expect(options?.get('addons_path')).toBe(
      '/srv/v/17.0/odoo/addons,/srv/i/shop/addons,/opt/extra',
    );
    expect(options?.get('workers')).toBe('4');
    expect(options?.get('proxy_mode')).toBe('False');
    expect(options?.get('without_demo')).toBe('False');
    expect(options?.get('admin_passwd')).toBe(input.adminPasswdHash);
    expect(readInstanceConfig(changed, isOrdoPath).settings).toMatchObject({
      workers: 4,
      proxyMode: false,
      withoutDemo: false,
      extraAddonsPaths: ['/opt/extra'],
    });
  });

  it('names a key whose value Odoo could not use', () => {
    const document = parseIni('[options]\nworkers = many\n');
    expect(() => readInstanceConfig(document, isOrdoPath)).toThrow(
      new OdooConfError('workers = many is not a whole number'),
    );
  });
});
