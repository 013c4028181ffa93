import { randomBytes } from 'node:crypto';
import { JOB_ID_PATTERN } from '@ordo/protocol';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new job id (see JOB_ID_PATTERN): ids of later jobs sort after earlier ones. */
export function newJobId(now: Date): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  const random = [...randomBytes(10)].map((byte) => ALPHABET[byte % 36]).join('');
  return `j_${time}_${random}`;
}

export function isJobId(value: string): boolean {
  return JOB_ID_PATTERN.test(value);
}
