import { InstanceQuota } from '@ordo/protocol/panel';

/** The quota field as typed: blank means no limit. */
export function parseQuotaField(
  text: string,
): { ok: true; quota: InstanceQuota } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, quota: { maxInstances: null } };
  const parsed = InstanceQuota.safeParse({ maxInstances: Number(trimmed) });
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Enter a number' };
  }
  return { ok: true, quota: parsed.data };
}

export function quotaToField(quota: InstanceQuota): string {
  return quota.maxInstances === null ? '' : String(quota.maxInstances);
}
