import { readFileSync } from 'node:fs';

/** Synchronous so that configuration loads in one step before anything starts. */
export type ReadTextFile = (path: string) => string;

export const readTextFile: ReadTextFile = (path) => readFileSync(path, 'utf8');

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** A short, actionable reason for a failed read, without echoing file contents. */
export function describeReadError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = String(error.code);
    return REASONS[code] ? `${REASONS[code]}, ${code}` : code;
  }
  return error instanceof Error ? error.message : String(error);
}
