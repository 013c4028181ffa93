import { dirname, resolve } from 'node:path';
import type { ConfigIssue } from './config-error';
import type { ConfigFile } from './config-file';
import { describeReadError, type ReadTextFile } from './read-text-file';
import { TOKEN_ENV, TOKEN_FILE_ENV } from './settings';

/** A raw setting value and how to name it in an error message. */
export interface RawSetting {
  value: unknown;
  setting: string;
}

/**
 * Finds the token in exactly one place. The environment wins as a whole: when it names a token
 * or a token file, the config file's token settings are ignored.
 */
export function resolveTokenSource(
  env: Readonly<Record<string, string | undefined>>,
  file: ConfigFile | null,
  readFile: ReadTextFile,
  issues: ConfigIssue[],
): RawSetting | null {
  const fromEnv = pickSource(
    { token: nonEmpty(env[TOKEN_ENV]), tokenFile: nonEmpty(env[TOKEN_FILE_ENV]) },
    { token: TOKEN_ENV, tokenFile: TOKEN_FILE_ENV },
    null,
  );
  const fromFile = file
    ? pickSource(
        { token: file.values.token, tokenFile: file.values.tokenFile },
        {
          token: `${TOKEN_ENV} (token in ${file.path})`,
          tokenFile: `${TOKEN_FILE_ENV} (tokenFile in ${file.path})`,
        },
        dirname(file.path),
      )
    : null;
  const source = fromEnv ?? fromFile;

  if (source === null) {
    issues.push({
      setting: TOKEN_ENV,
      message: `required: set ${TOKEN_ENV} or ${TOKEN_FILE_ENV} (the install script writes /etc/ordo/agent.token)`,
    });
    return null;
  }
  if (source.kind === 'both') {
    issues.push({
      setting: source.setting,
      message: `set either ${TOKEN_ENV} or ${TOKEN_FILE_ENV}, not both`,
    });
    return null;
  }
  if (source.kind === 'value') return { value: source.value, setting: source.setting };

  if (typeof source.path !== 'string' || source.path.trim() === '') {
    issues.push({ setting: source.setting, message: 'must be a path to a file' });
    return null;
  }
  const path = source.baseDir === null ? source.path : resolve(source.baseDir, source.path);
  try {
    return { value: readFile(path).trim(), setting: `${source.setting}, contents of ${path}` };
  } catch (error) {
    issues.push({
      setting: source.setting,
      message: `cannot read ${path} (${describeReadError(error)})`,
    });
    return null;
  }
}

type Source =
  | { kind: 'value'; value: unknown; setting: string }
  | { kind: 'file'; path: unknown; setting: string; baseDir: string | null }
  | { kind: 'both'; setting: string };

function pickSource(
  values: { token: unknown; tokenFile: unknown },
  names: { token: string; tokenFile: string },
  baseDir: string | null,
): Source | null {
  const hasToken = values.token !== undefined;
  const hasFile = values.tokenFile !== undefined;
  if (hasToken && hasFile) return { kind: 'both', setting: names.token };
  if (hasToken) return { kind: 'value', value: values.token, setting: names.token };
  if (hasFile) return { kind: 'file', path: values.tokenFile, setting: names.tokenFile, baseDir };
  return null;
}

/** An empty variable (`ORDO_AGENT_PORT=`) means "not set", as in systemd environment files. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
