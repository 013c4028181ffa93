import { readFile } from 'node:fs/promises';

export const OS_RELEASE_PATH = '/etc/os-release';

/** PRETTY_NAME from an os-release file, or null when the file or the key is missing. */
export async function readDistribution(path: string = OS_RELEASE_PATH): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  return parsePrettyName(text);
}

/** os-release is shell-like `KEY=value` lines; values may be single- or double-quoted. */
export function parsePrettyName(text: string): string | null {
  for (const line of text.split('\n')) {
    const match = /^\s*PRETTY_NAME=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const value = unquote(match[1].trim());
    return value === '' ? null : value;
  }
  return null;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}
