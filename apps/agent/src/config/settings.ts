import { hostname } from 'node:os';
import { RuntimeKind } from '@ordo/protocol';
import { z } from 'zod';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace, silent',
});
export type LogLevel = z.infer<typeof LogLevel>;

export const MIN_TOKEN_LENGTH = 32;

const DIGITS = /^\d+$/;
// Header-safe: the token travels in `Authorization: Bearer <token>`.
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;
const HOST_CHARACTERS = /^[A-Za-z0-9.:_-]+$/;

const Port = z
  .union([z.number(), z.string()], { error: 'must be an integer between 0 and 65535' })
  .transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : '';
    const port = typeof value === 'number' ? value : DIGITS.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: 'must be an integer between 0 and 65535' });
      return z.NEVER;
    }
    return port;
  });

const text = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: `must be ${what}` });

const AbsolutePath = text('an absolute path').refine((value) => value.startsWith('/'), {
  error: 'must be an absolute path',
});

const PostgresUrl = text('a postgres:// URL').refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  },
  { error: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/postgres' },
);

const PORT_RANGE_MESSAGE = 'must be a port range "from-to" within 1024-65535, e.g. 8100-8999';

/** Ports instances get their HTTP and gevent ports from, e.g. "8100-8999" (both ends included). */
const PortRange = z
  .union([z.string(), z.object({ from: z.number(), to: z.number() })], {
    error: PORT_RANGE_MESSAGE,
  })
  .transform((value, ctx) => {
    let range: { from: number; to: number } | null = null;
    if (typeof value === 'string') {
      const match = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(value);
      if (match) range = { from: Number(match[1]), to: Number(match[2]) };
    } else {
      range = value;
    }
    if (
      range === null ||
      !Number.isInteger(range.from) ||
      !Number.isInteger(range.to) ||
      range.from < 1024 ||
      range.to > 65535 ||
      range.from > range.to
    ) {
      ctx.addIssue({ code: 'custom', message: PORT_RANGE_MESSAGE });
      return z.NEVER;
    }
    return range;
  });
export type PortRange = z.output<typeof PortRange>;

export const Token = z
  .string({ error: 'must be a string' })
  .min(MIN_TOKEN_LENGTH, {
    error: `must be at least ${MIN_TOKEN_LENGTH} characters (generate one with: openssl rand -hex 32)`,
  })
  .regex(TOKEN_CHARACTERS, { error: 'must be printable ASCII without spaces' });

/**
 * Every setting but the token (which has two sources, see load-config.ts) with its default,
 * keyed by its camelCase config-file name.
 */
export const AgentSettings = z.object({
  host: text('a host name or IP address')
    .regex(HOST_CHARACTERS, { error: 'must be a host name or IP address, e.g. 127.0.0.1' })
    .default('127.0.0.1'),
  port: Port.default(8070),
  root: AbsolutePath.default('/var/lib/ordo-agent'),
  pgUrl: PostgresUrl.default('postgres://postgres@127.0.0.1:5432/postgres'),
  runtime: z.enum(RuntimeKind.options, { error: 'must be "native" or "docker"' }).default('native'),
  dockerSocket: AbsolutePath.default('/var/run/docker.sock'),
  dockerImage: text('an image name').nullable().default(null),
  odooGitUrl: text('a git URL').default('https://github.com/odoo/odoo.git'),
  enterpriseGitUrl: text('a git URL').default('git@github.com:odoo/enterprise.git'),
  /** Where "Test GitHub connection" connects with the Enterprise key; tests point it elsewhere. */
  enterpriseSshTestTarget: text('user@host or user@host:port')
    .regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+(:\d{1,5})?$/, {
      error: 'must be user@host or user@host:port, e.g. git@github.com',
    })
    .default('git@github.com'),
  python: text('a path to a Python interpreter').nullable().default(null),
  /** Interface Odoo instances listen on (their http_interface). */
  instanceHost: text('a host name or IP address')
    .regex(HOST_CHARACTERS, { error: 'must be a host name or IP address, e.g. 127.0.0.1' })
    .default('127.0.0.1'),
  /** Host name put in instance URLs (http://<publicHost>:<http_port>). */
  publicHost: text('a host name or IP address')
    .regex(HOST_CHARACTERS, { error: 'must be a host name or IP address, e.g. odoo1.example.com' })
    .default(() => hostname()),
  portRange: PortRange.default({ from: 8100, to: 8999 }),
  /**
   * Put before every instance's database name, so agents (or test runs) sharing one
   * PostgreSQL cluster never claim the same database.
   */
  dbPrefix: z
    .string()
    .regex(/^[a-z0-9_]{0,20}$/, {
      error: 'must be at most 20 lowercase letters, digits or "_", e.g. "srv1_"',
    })
    .default(''),
  logLevel: LogLevel.default('info'),
});
export type AgentSettings = z.infer<typeof AgentSettings>;
export type SettingKey = keyof AgentSettings;

/** What operators set, and therefore what error messages name. */
export const SETTING_ENV: Readonly<Record<SettingKey, string>> = {
  host: 'ORDO_AGENT_HOST',
  port: 'ORDO_AGENT_PORT',
  root: 'ORDO_AGENT_ROOT',
  pgUrl: 'ORDO_AGENT_PG_URL',
  runtime: 'ORDO_AGENT_RUNTIME',
  dockerSocket: 'ORDO_AGENT_DOCKER_SOCKET',
  dockerImage: 'ORDO_AGENT_DOCKER_IMAGE',
  odooGitUrl: 'ORDO_ODOO_GIT_URL',
  enterpriseGitUrl: 'ORDO_ENTERPRISE_GIT_URL',
  enterpriseSshTestTarget: 'ORDO_ENTERPRISE_SSH_TEST_TARGET',
  python: 'ORDO_PYTHON',
  instanceHost: 'ORDO_AGENT_INSTANCE_HOST',
  publicHost: 'ORDO_AGENT_PUBLIC_HOST',
  portRange: 'ORDO_AGENT_PORT_RANGE',
  dbPrefix: 'ORDO_AGENT_DB_PREFIX',
  logLevel: 'ORDO_AGENT_LOG_LEVEL',
};

export const TOKEN_ENV = 'ORDO_AGENT_TOKEN';
export const TOKEN_FILE_ENV = 'ORDO_AGENT_TOKEN_FILE';
export const CONFIG_FILE_ENV = 'ORDO_AGENT_CONFIG';
