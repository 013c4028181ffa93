const REDACTED = '[redacted]';
/** Keys whose values never reach the audit log: passwords, tokens, codes, keys. */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|code|otp|recovery|private.?key|api.?key|authorization|cookie|ciphertext/i;
const MAX_STRING = 500;
const MAX_ITEMS = 50;
const MAX_DEPTH = 5;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)`
      : value;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items: unknown[] = value.slice(0, MAX_ITEMS).map((item) => redactValue(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… (${value.length - MAX_ITEMS} more)`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(inner, depth + 1);
  }
  return out;
}

/** The parameters of a call as the audit log keeps them: secrets out, sizes bounded. */
export function redactParams(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  const redacted = redactValue(input, 0);
  if (typeof redacted === 'object' && redacted !== null && !Array.isArray(redacted)) {
    return Object.fromEntries(Object.entries(redacted));
  }
  return { value: redacted };
}

const TARGET_KEYS = ['id', 'serverId', 'name', 'version', 'email', 'to'] as const;

/** What a call acted on, from the identifying fields of its input: `serverId=… name=shop`. */
export function describeTarget(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const parts: string[] = [];
  for (const key of TARGET_KEYS) {
    const value: unknown = Reflect.get(input, key);
    if (typeof value === 'string' && value !== '') parts.push(`${key}=${value.slice(0, 200)}`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
