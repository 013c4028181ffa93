import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Email } from '@ordo/protocol/panel';
import { decodeSecretKey } from './crypto/secret-key-encoding';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ControlConfig {
  host: string;
  /** 0 means "any free port". */
  port: number;
  /** Null: run the embedded PostgreSQL under `<dataDir>/pg`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Set when ORDO_SECRET_KEY is given; otherwise the key lives in `secretKeyFile`. */
  secretKey: Buffer | null;
  secretKeyFile: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Null: derived from the address actually listened on (`http://HOST:PORT`). */
  publicUrl: string | null;
  uiDir: string;
  localAgent: { url: string; tokenFile: string } | null;
  logLevel: LogLevel;
  agentTimeoutMs: number;
  /** How often every agent's metrics are polled; 0 turns polling off in this process. */
  metricsIntervalMs: number;
  /** Largest upload (restore, addons) the control plane streams on to an agent, in bytes. */
  maxUploadBytes: number;
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'invalid_config';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(
      `Invalid control plane configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

const CONFIG_FILE_VARIABLE = 'ORDO_CONTROL_CONFIG';

/** Default of ORDO_MAX_UPLOAD_BYTES: 20 GiB, the agent's own default. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 ** 3;

const VARIABLES = [
  'HOST',
  'PORT',
  'DATABASE_URL',
  'ORDO_DATA_DIR',
  'ORDO_SECRET_KEY',
  'ORDO_SECRET_KEY_FILE',
  'ORDO_ADMIN_EMAIL',
  'ORDO_ADMIN_PASSWORD',
  'ORDO_PUBLIC_URL',
  'ORDO_UI_DIR',
  'ORDO_LOCAL_AGENT_URL',
  'ORDO_LOCAL_AGENT_TOKEN_FILE',
  'ORDO_LOG_LEVEL',
  'ORDO_AGENT_TIMEOUT_MS',
  'ORDO_METRICS_INTERVAL_MS',
  'ORDO_MAX_UPLOAD_BYTES',
] as const;
type Variable = (typeof VARIABLES)[number];
type RawSettings = Partial<Record<Variable, string>>;

// The file holds the same names as the environment, so one vocabulary documents both.
const ConfigFile = z.partialRecord(
  z.enum(VARIABLES, { error: 'unknown setting' }),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);

const Port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const HttpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const DatabaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}, 'must be a postgres:// URL such as postgres://user:password@127.0.0.1:5432/ordo');

/** Where the built panel sits relative to this module: `apps/control/{src,dist}` → `apps/ui/dist`. */
function defaultUiDir(): string {
  return fileURLToPath(new URL('../../ui/dist', import.meta.url));
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string, issues: ConfigIssue[]): RawSettings {
  const file = env[CONFIG_FILE_VARIABLE];
  if (!file) return {};
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    issues.push({ variable: CONFIG_FILE_VARIABLE, message: `cannot read ${path}: ${reason}` });
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    issues.push({ variable: CONFIG_FILE_VARIABLE, message: `${path} is not valid JSON` });
    return {};
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')} (use the environment variable names, e.g. PORT)`
          : issue.message;
      const where = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      issues.push({ variable: CONFIG_FILE_VARIABLE, message: `${path}${where}: ${message}` });
    }
    return {};
  }
  return parsed.data;
}

function pickFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const picked: RawSettings = {};
  for (const name of VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

/**
 * Reads the optional JSON file named by ORDO_CONTROL_CONFIG and the environment (environment
 * wins), validates everything and throws one {@link ConfigError} naming every bad variable.
 */
export function loadControlConfig(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): ControlConfig {
  const issues: ConfigIssue[] = [];
  const raw: RawSettings = { ...readConfigFile(env, cwd, issues), ...pickFromEnv(env) };

  function check<T>(variable: Variable, schema: z.ZodType<T>, fallback: T): T {
    const value = raw[variable];
    if (value === undefined) return fallback;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    issues.push({ variable, message: parsed.error.issues[0]?.message ?? 'is invalid' });
    return fallback;
  }

  const host = check('HOST', z.string().trim().min(1, 'must not be empty'), '127.0.0.1');
  const port = check('PORT', Port, 8080);
  const databaseUrl = check<string | null>('DATABASE_URL', DatabaseUrl, null);
  const dataDir = resolve(cwd, raw.ORDO_DATA_DIR ?? './var');
  const secretKey = check<Buffer | null>(
    'ORDO_SECRET_KEY',
    z.string().transform((value, ctx) => {
      const key = decodeSecretKey(value);
      if (key === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be 32 bytes written as base64 (44 characters) or hex (64 characters)',
        });
        return z.NEVER;
      }
      return key;
    }),
    null,
  );
  const secretKeyFile = resolve(cwd, raw.ORDO_SECRET_KEY_FILE ?? resolve(dataDir, 'secret.key'));
  const adminEmail = check<string | null>('ORDO_ADMIN_EMAIL', Email, null);
  const adminPassword = check<string | null>(
    'ORDO_ADMIN_PASSWORD',
    z
      .string()
      .min(10, 'must be at least 10 characters')
      .max(1024, 'must be at most 1024 characters'),
    null,
  );
  const publicUrl = check<string | null>(
    'ORDO_PUBLIC_URL',
    HttpUrl.transform((value) => value.replace(/\/+$/, '')),
    null,
  );
  const uiDir = raw.ORDO_UI_DIR ? resolve(cwd, raw.ORDO_UI_DIR) : defaultUiDir();
  const localAgentUrl = check<string | null>('ORDO_LOCAL_AGENT_URL', HttpUrl, null);
  const localAgentTokenFile = raw.ORDO_LOCAL_AGENT_TOKEN_FILE ?? null;
  if (raw.ORDO_LOCAL_AGENT_URL !== undefined && localAgentTokenFile === null) {
    issues.push({
      variable: 'ORDO_LOCAL_AGENT_TOKEN_FILE',
      message: 'must be set when ORDO_LOCAL_AGENT_URL is set',
    });
  }
  if (localAgentTokenFile !== null && raw.ORDO_LOCAL_AGENT_URL === undefined) {
    issues.push({
      variable: 'ORDO_LOCAL_AGENT_URL',
      message: 'must be set when ORDO_LOCAL_AGENT_TOKEN_FILE is set',
    });
  }
  const logLevel = check<LogLevel>(
    'ORDO_LOG_LEVEL',
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    'info',
  );
  const agentTimeoutMs = check(
    'ORDO_AGENT_TIMEOUT_MS',
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100 ms')
      .max(600_000, 'must be at most 600000 ms'),
    10_000,
  );
  const metricsIntervalMs = check(
    'ORDO_METRICS_INTERVAL_MS',
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .refine((value) => value === 0 || value >= 100, 'must be 0 (off) or at least 100 ms')
      .refine((value) => value <= 3_600_000, 'must be at most 3600000 ms'),
    5000,
  );

  const maxUploadBytes = check(
    'ORDO_MAX_UPLOAD_BYTES',
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of bytes')
      .min(1, 'must be at least 1 byte')
      .max(Number.MAX_SAFE_INTEGER, 'is too large'),
    DEFAULT_MAX_UPLOAD_BYTES,
  );

  if (issues.length > 0) throw new ConfigError(issues);

  return {
    host,
    port,
    databaseUrl,
    dataDir,
    secretKey,
    secretKeyFile,
    adminEmail,
    adminPassword,
    publicUrl,
    uiDir,
    localAgent:
      localAgentUrl !== null && localAgentTokenFile !== null
        ? { url: localAgentUrl, tokenFile: resolve(cwd, localAgentTokenFile) }
        : null,
    logLevel,
    agentTimeoutMs,
    metricsIntervalMs,
    maxUploadBytes,
  };
}
