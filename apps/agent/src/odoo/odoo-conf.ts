import type { InstanceConfig, InstanceConfigSettings, OdooLogLevel } from '@ordo/protocol';
import type { IniDocument } from './conf-file';

export const OPTIONS_SECTION = 'options';

/**
 * What Ordo sets on a new instance; every value can be changed later through the config API.
 * - workers 0: Odoo's threaded mode. One process per instance keeps small servers with many
 *   instances within memory; production instances with real traffic raise it.
 * - max_cron_threads 1: Odoo's default of 2 doubles the DB connections of idle instances.
 * - limits: Odoo's own defaults (odoo/tools/config.py).
 * - proxy_mode on: instances are meant to sit behind a reverse proxy.
 * - without_demo all: production data never gets demo records.
 */
export const DEFAULT_INSTANCE_SETTINGS: InstanceConfigSettings = {
  workers: 0,
  maxCronThreads: 1,
  limitMemorySoft: 2048 * 1024 * 1024,
  limitMemoryHard: 2560 * 1024 * 1024,
  limitTimeCpu: 60,
  limitTimeReal: 120,
  limitTimeRealCron: -1,
  limitRequest: 65536,
  dbMaxconn: 64,
  proxyMode: true,
  logLevel: 'info',
  withoutDemo: true,
  extraAddonsPaths: [],
};

type ScalarSetting = Exclude<keyof InstanceConfigSettings, 'extraAddonsPaths'>;

/** odoo.conf key of each editable setting. */
export const SETTING_CONF_KEYS: Readonly<Record<ScalarSetting, string>> = {
  workers: 'workers',
  maxCronThreads: 'max_cron_threads',
  limitMemorySoft: 'limit_memory_soft',
  limitMemoryHard: 'limit_memory_hard',
  limitTimeCpu: 'limit_time_cpu',
  limitTimeReal: 'limit_time_real',
  limitTimeRealCron: 'limit_time_real_cron',
  limitRequest: 'limit_request',
  dbMaxconn: 'db_maxconn',
  proxyMode: 'proxy_mode',
  logLevel: 'log_level',
  withoutDemo: 'without_demo',
};

export interface PgConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string | null;
}

export interface NewOdooConfInput {
  /** Odoo series, e.g. "17.0": up to 15.0 the gevent port is called longpolling_port. */
  version: string;
  database: string;
  /** Ordo's addons directories, in order (see ordoAddonsPaths). */
  addonsPaths: readonly string[];
  dataDir: string;
  logfile: string;
  adminPasswdHash: string;
  pg: PgConnectionOptions;
  httpInterface: string;
  httpPort: number;
  geventPort: number;
  settings?: InstanceConfigSettings;
}

/** The `[options]` of a new instance's odoo.conf. */
export function newOdooConf(input: NewOdooConfInput): IniDocument {
  const settings = input.settings ?? DEFAULT_INSTANCE_SETTINGS;
  const options = new Map<string, string>([
    ['addons_path', [...input.addonsPaths, ...settings.extraAddonsPaths].join(',')],
    ['data_dir', input.dataDir],
    ['admin_passwd', input.adminPasswdHash],
    ['db_host', input.pg.host],
    ['db_port', String(input.pg.port)],
    ['db_user', input.pg.user],
    ['db_password', input.pg.password ?? 'False'],
    ['db_name', input.database],
    ['dbfilter', `^${escapeRegExp(input.database)}$`],
    ['list_db', 'False'],
    ['http_interface', input.httpInterface],
    ['http_port', String(input.httpPort)],
    [geventKey(input.version), String(input.geventPort)],
    ['logfile', input.logfile],
  ]);
  writeSettings(options, settings);
  return new Map([[OPTIONS_SECTION, options]]);
}

/** Odoo ≤ 15 only knows `longpolling_port`; 16+ reads `gevent_port`. */
export function geventKey(version: string): string {
  return Number.parseFloat(version) <= 15 ? 'longpolling_port' : 'gevent_port';
}

export class OdooConfError extends Error {
  override readonly name = 'OdooConfError';
}

/**
 * The editable settings and Ordo's keys as they are in odoo.conf. `isOrdoPath` tells Ordo's
 * own addons directories from the admin's extra ones. Throws {@link OdooConfError} naming a key
 * whose value Odoo would not accept either.
 */
export function readInstanceConfig(
  document: IniDocument,
  isOrdoPath: (path: string) => boolean,
): InstanceConfig {
  const options = document.get(OPTIONS_SECTION) ?? new Map<string, string>();
  const get = (key: string) => options.get(key)?.trim();
  const int = (key: string, fallback: number) => {
    const value = get(key);
    if (value === undefined || value === '' || value === 'False') return fallback;
    if (!/^-?\d+$/.test(value)) throw new OdooConfError(`${key} = ${value} is not a whole number`);
    return Number(value);
  };
  const bool = (key: string, fallback: boolean) => {
    const value = get(key)?.toLowerCase();
    if (value === undefined || value === '') return fallback;
    return !['false', '0', 'no', 'off', 'none'].includes(value);
  };
  const addons = (get('addons_path') ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  const defaults = DEFAULT_INSTANCE_SETTINGS;
  const logLevel = get('log_level') ?? defaults.logLevel;

  const settings: InstanceConfigSettings = {
    workers: int('workers', 0),
    maxCronThreads: int('max_cron_threads', 2),
    limitMemorySoft: int('limit_memory_soft', defaults.limitMemorySoft),
    limitMemoryHard: int('limit_memory_hard', defaults.limitMemoryHard),
    limitTimeCpu: int('limit_time_cpu', defaults.limitTimeCpu),
    limitTimeReal: int('limit_time_real', defaults.limitTimeReal),
    limitTimeRealCron: int('limit_time_real_cron', defaults.limitTimeRealCron),
    limitRequest: int('limit_request', defaults.limitRequest),
    dbMaxconn: int('db_maxconn', defaults.dbMaxconn),
    proxyMode: bool('proxy_mode', false),
    logLevel: isLogLevel(logLevel) ? logLevel : defaults.logLevel,
    withoutDemo: bool('without_demo', false),
    extraAddonsPaths: addons.filter((path) => !isOrdoPath(path)),
  };
  return {
    settings,
    managed: {
      httpPort: int('http_port', 8069),
      geventPort: int('gevent_port', int('longpolling_port', 8072)),
      dataDir: get('data_dir') ?? '',
      addonsPath: addons.filter(isOrdoPath),
      dbName: get('db_name') ?? '',
      dbfilter: get('dbfilter') ?? '',
      listDb: bool('list_db', true),
      logfile: get('logfile') ?? '',
    },
  };
}

/** odoo.conf with `settings` applied; every key Ordo manages stays as it was. */
export function withSettings(
  document: IniDocument,
  settings: InstanceConfigSettings,
  isOrdoPath: (path: string) => boolean,
): IniDocument {
  const options = new Map(document.get(OPTIONS_SECTION) ?? []);
  const ordoPaths = (options.get('addons_path') ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '' && isOrdoPath(path));
  options.set('addons_path', [...ordoPaths, ...settings.extraAddonsPaths].join(','));
  writeSettings(options, settings);
  const result = new Map(document);
  result.set(OPTIONS_SECTION, options);
  return result;
}

function writeSettings(options: Map<string, string>, settings: InstanceConfigSettings): void {
  for (const [setting, key] of Object.entries(SETTING_CONF_KEYS) as [ScalarSetting, string][]) {
    options.set(key, formatSetting(setting, settings[setting]));
  }
}

function formatSetting(setting: ScalarSetting, value: number | boolean | string): string {
  if (setting === 'withoutDemo') return value === true ? 'all' : 'False';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

const LOG_LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error', 'critical'];

function isLogLevel(value: string): value is OdooLogLevel {
  return LOG_LEVELS.includes(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
