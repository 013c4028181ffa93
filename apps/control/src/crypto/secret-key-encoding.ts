export const SECRET_KEY_BYTES = 32;

/** Accepts the key as 64 hex characters or base64 of 32 bytes; anything else is null. */
export function decodeSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(
      value,
      value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
    );
    if (key.length === SECRET_KEY_BYTES) return key;
  }
  return null;
}
