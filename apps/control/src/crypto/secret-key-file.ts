import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ControlConfig } from '../config';
import { DomainError } from '../errors';
import { decodeSecretKey, SECRET_KEY_BYTES } from './secret-key-encoding';

/**
 * The key for secrets at rest: ORDO_SECRET_KEY when given, else the key file, created with
 * 32 random bytes (written as base64, mode 600) on first start.
 */
export async function loadSecretKey(
  config: Pick<ControlConfig, 'secretKey' | 'secretKeyFile'>,
): Promise<Buffer> {
  if (config.secretKey !== null) return config.secretKey;
  const path = config.secretKeyFile;
  const existing = await readKeyFile(path);
  if (existing !== null) return existing;

  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  try {
    // 'wx' so two processes starting at once never overwrite each other's key.
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) {
      const raced = await readKeyFile(path);
      if (raced !== null) return raced;
    }
    throw new DomainError(
      'invalid_secret_key',
      `Cannot create the secret key file ${path}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return null;
    throw new DomainError(
      'invalid_secret_key',
      `Cannot read the secret key file ${path}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const key =
    decodeSecretKey(content.toString('utf8')) ??
    (content.length === SECRET_KEY_BYTES ? content : null);
  if (key === null) {
    throw new DomainError(
      'invalid_secret_key',
      `The secret key file ${path} must hold 32 bytes (raw, base64 or hex); restore the original file, since secrets stored with another key cannot be read`,
    );
  }
  return key;
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
