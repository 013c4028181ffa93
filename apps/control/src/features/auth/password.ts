import { type Algorithm, hash, type Options, verify } from '@node-rs/argon2';

// The package ships Algorithm as an ambient const enum, which isolated modules cannot read.
const ARGON2ID: Algorithm = 2;
// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, never a crash of the login route.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same work as a real check, so an unknown email cannot be told from a wrong
 * password by timing.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('ordo-dummy-password-for-constant-work');
  await verifyPassword(await dummyHash, password);
}
