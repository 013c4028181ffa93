import { ConfigError, type ConfigIssue } from './config-error';
import { readConfigFile } from './config-file';
import { readTextFile, type ReadTextFile } from './read-text-file';
import { AgentSettings, CONFIG_FILE_ENV, SETTING_ENV, Token, type SettingKey } from './settings';
import { nonEmpty, resolveTokenSource, type RawSetting } from './token-source';

export type AgentConfig = AgentSettings & { token: string };

export type Environment = Readonly<Record<string, string | undefined>>;

const SETTING_KEYS = AgentSettings.keyof().options;

/**
 * Builds the agent configuration from the optional JSON file named by ORDO_AGENT_CONFIG and the
 * environment (which wins). Pure apart from `readFile`: it never looks at `process.env`.
 * Throws a {@link ConfigError} naming every bad setting by its environment variable.
 */
export function loadAgentConfig(
  env: Environment,
  readFile: ReadTextFile = readTextFile,
): AgentConfig {
  const issues: ConfigIssue[] = [];
  const file = readConfigFile(nonEmpty(env[CONFIG_FILE_ENV]), readFile, issues);

  const raw = new Map<SettingKey, RawSetting>();
  for (const key of SETTING_KEYS) {
    const name = SETTING_ENV[key];
    const fromEnv = nonEmpty(env[name]);
    if (fromEnv !== undefined) raw.set(key, { value: fromEnv, setting: name });
    else if (file && file.values[key] !== undefined) {
      raw.set(key, { value: file.values[key], setting: `${name} (${key} in ${file.path})` });
    }
  }

  const settings = AgentSettings.safeParse(
    Object.fromEntries([...raw].map(([key, { value }]) => [key, value])),
  );
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      const key = issue.path[0];
      const known = SETTING_KEYS.find((candidate) => candidate === key);
      const setting = known ? (raw.get(known)?.setting ?? SETTING_ENV[known]) : String(key);
      issues.push({ setting, message: issue.message });
    }
  }

  const tokenSource = resolveTokenSource(env, file, readFile, issues);
  const token = tokenSource ? Token.safeParse(tokenSource.value) : null;
  if (tokenSource && token && !token.success) {
    for (const issue of token.error.issues) {
      issues.push({ setting: tokenSource.setting, message: issue.message });
    }
  }

  if (issues.length > 0 || !settings.success || !token?.success) throw new ConfigError(issues);
  return { ...settings.data, token: token.data };
}
