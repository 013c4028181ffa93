import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { createSecretBox, previewSecret } from './secret-box';
import { loadSecretKey } from './secret-key-file';

const UNREADABLE =
  'A stored secret cannot be decrypted: the secret key (ORDO_SECRET_KEY or its file) is not the one it was stored with';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time', () => {
    const token = 'a'.repeat(64);
    const first = box.encrypt(token);
    const second = box.encrypt(token);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(token);
    expect(box.decrypt(first)).toBe(token);
    expect(box.decrypt(second)).toBe(token);
  });

  it('detects tampering', () => {
    const sealed = box.encrypt('secret value here');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => box.decrypt(`v1:${bytes.toString('base64')}`)).toThrow(UNREADABLE);
    expect(() => box.decrypt('v1:AAAA')).toThrow(UNREADABLE);
    expect(() => box.decrypt('plain text')).toThrow(UNREADABLE);
  });

  it('refuses a different key', () => {
    const other = createSecretBox(randomBytes(32));
    const error = (() => {
      try {
        other.decrypt(box.encrypt('secret'));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'secret_unreadable', message: UNREADABLE });
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(
      'The secret key must be 32 bytes, got 16',
    );
  });

  it('previews only the ends of a secret', () => {
    expect(previewSecret('3f9a0000000000000000c41d')).toBe('3f9a…c41d');
    expect(previewSecret('short')).toBe('…');
  });
});

describe('loadSecretKey', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers ORDO_SECRET_KEY', async () => {
    const key = randomBytes(32);
    expect(await loadSecretKey({ secretKey: key, secretKeyFile: join(dir, 'never') })).toBe(key);
  });

  it('creates the key file with mode 600 on first start, then reuses it', async () => {
    const file = join(dir, 'nested', 'secret.key');
    const first = await loadSecretKey({ secretKey: null, secretKeyFile: file });
    expect(first).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first)).toBe(true);
    const second = await loadSecretKey({ secretKey: null, secretKeyFile: file });
    expect(second.equals(first)).toBe(true);
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    const file = join(dir, 'bad.key');
    await writeFile(file, 'not a key');
    await expect(loadSecretKey({ secretKey: null, secretKeyFile: file })).rejects.toThrow(
      `The secret key file ${file} must hold 32 bytes (raw, base64 or hex); restore the original file, since secrets stored with another key cannot be read`,
    );
  });
});
