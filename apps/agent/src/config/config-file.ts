import { z } from 'zod';
import type { ConfigIssue } from './config-error';
import { describeReadError, type ReadTextFile } from './read-text-file';
import { CONFIG_FILE_ENV, SETTING_ENV } from './settings';

const KNOWN_KEYS = new Set([...Object.keys(SETTING_ENV), 'token', 'tokenFile']);

const JsonObject = z.record(z.string(), z.unknown());

export interface ConfigFile {
  path: string;
  values: Readonly<Record<string, unknown>>;
}

/**
 * Reads the optional JSON config file named by ORDO_AGENT_CONFIG. Problems are appended to
 * `issues` so that one start reports every bad setting at once.
 */
export function readConfigFile(
  path: string | undefined,
  readFile: ReadTextFile,
  issues: ConfigIssue[],
): ConfigFile | null {
  if (path === undefined) return null;
  const fail = (message: string) => {
    issues.push({ setting: CONFIG_FILE_ENV, message });
    return null;
  };

  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return fail(`cannot read ${path} (${describeReadError(error)})`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(`${path} is not valid JSON (${reason})`);
  }

  const parsed = JsonObject.safeParse(json);
  if (!parsed.success) return fail(`${path} must hold a JSON object of settings`);

  const unknown = Object.keys(parsed.data).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => `"${key}"`).join(', ');
    return fail(
      `unknown setting ${names} in ${path} (known: ${[...KNOWN_KEYS].sort().join(', ')})`,
    );
  }

  // A JSON null means "not set here", like an absent key.
  const values = Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== null),
  );
  return { path, values };
}
