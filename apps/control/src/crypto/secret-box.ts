import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../errors';
import { SECRET_KEY_BYTES } from './secret-key-encoding';

const VERSION_PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM for secrets at rest, stored as `v1:<base64 iv|tag|ciphertext>`. */
export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRET_KEY_BYTES) {
    throw new DomainError(
      'invalid_secret_key',
      `The secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`,
    );
  }
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return VERSION_PREFIX + Buffer.concat([iv, tag, ciphertext]).toString('base64');
    },
    decrypt(sealed) {
      const unreadable = new DomainError(
        'secret_unreadable',
        'A stored secret cannot be decrypted: the secret key (ORDO_SECRET_KEY or its file) is not the one it was stored with',
      );
      if (!sealed.startsWith(VERSION_PREFIX)) throw unreadable;
      const packed = Buffer.from(sealed.slice(VERSION_PREFIX.length), 'base64');
      if (packed.length < IV_BYTES + TAG_BYTES) throw unreadable;
      const iv = packed.subarray(0, IV_BYTES);
      const tag = packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const ciphertext = packed.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new DomainError('secret_unreadable', unreadable.message, { cause: error });
      }
    },
  };
}

/** What the panel may show of a token: first 4 and last 4 characters. */
export function previewSecret(secret: string): string {
  if (secret.length <= 8) return '…';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
