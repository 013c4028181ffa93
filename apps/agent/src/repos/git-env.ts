import type { Environment } from '../config';
import { childEnvironment } from '../system/child-environment';

/** git's own variables that would print request headers (the token) or inject config. */
const DROPPED =
  /^(GIT_TRACE.*|GIT_CURL_VERBOSE|GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+|PARAMETERS)|GIT_ASKPASS|SSH_ASKPASS)$/;

/**
 * The environment of a git command on a repository. An access token goes to git as an HTTP
 * Basic `Authorization` header through `GIT_CONFIG_*` variables: never in argv (process
 * lists), never in `.git/config`, never in the remote URL (which git would print). Credential
 * helpers are switched off so that nothing stores it, and prompts are off so that a refused
 * token fails at once instead of waiting for a terminal.
 */
export function gitEnvironment(env: Environment, token?: string): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(childEnvironment(env)).filter(([name]) => !DROPPED.test(name)),
  );
  const config: [string, string][] = [['credential.helper', '']];
  if (token !== undefined) {
    const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  const result: Record<string, string> = {
    ...base,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // Empty: git neither runs an askpass program nor falls back to SSH_ASKPASS.
    GIT_ASKPASS: '',
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    result[`GIT_CONFIG_KEY_${index}`] = key;
    result[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return result;
}
