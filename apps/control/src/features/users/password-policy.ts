import { ValidationError } from '../../errors';
import { COMMON_PASSWORDS_TEXT } from './common-passwords.data';

export const TOO_COMMON = 'This password is too common: choose one that is harder to guess';

let commonPasswords: ReadonlySet<string> | undefined;

/** Built on first use: a hash set of the leaked-password list, lower-cased. */
function commonSet(): ReadonlySet<string> {
  commonPasswords ??= new Set(COMMON_PASSWORDS_TEXT.split('\n').map((p) => p.toLowerCase()));
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return commonSet().has(password.toLowerCase());
}

/**
 * The rules beyond length (which the input schema checks): not a well-known leaked password,
 * and not the account's own email address.
 */
export function assertPasswordAllowed(password: string, email: string): void {
  if (isCommonPassword(password)) throw new ValidationError(TOO_COMMON);
  if (password.toLowerCase() === email.toLowerCase()) {
    throw new ValidationError('The password must not be the email address');
  }
}
