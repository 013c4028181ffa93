import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
// The largest multiple of the alphabet size below 256: bytes above it would bias the choice.
const LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A random password of letters and digits (without the look-alikes 0/O, 1/l/I), to be read
 * aloud or typed from a screen: 24 characters carry about 140 bits.
 */
export function generatePassword(length: number): string {
  let result = '';
  while (result.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= LIMIT) continue;
      result += ALPHABET.charAt(byte % ALPHABET.length);
      if (result.length === length) break;
    }
  }
  return result;
}
