import {
  OdooVersion,
  type SshKeyState,
  type SshKeyTestResult,
  type SshPublicKey,
} from '@ordo/protocol';
import type { JobView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const apiError = readApiError(error);
    if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
    return { ok: false, message: apiError.message };
  }
}

/** The server's Enterprise key, `null` before one exists; a refusal comes back for the card. */
export function handleLoadSshKey(serverId: string): Promise<Outcome<SshKeyState>> {
  return attempt(() => api.settings.sshKey.get.query({ serverId }));
}

export async function handleGenerateSshKey(
  serverId: string,
  replacing: boolean,
): Promise<Outcome<SshPublicKey>> {
  const outcome = await attempt(() => api.settings.sshKey.generate.mutate({ serverId }));
  if (outcome.ok) {
    toastManager.show(
      'success',
      replacing
        ? 'New SSH key generated: add it on GitHub, the old one no longer works'
        : 'SSH key generated: add it on GitHub',
    );
  }
  return outcome;
}

/** Asks the agent to connect to GitHub with its key; the answer says whether it was recognised. */
export function handleTestSshKey(serverId: string): Promise<Outcome<SshKeyTestResult>> {
  return attempt(() => api.settings.sshKey.test.mutate({ serverId }));
}

export async function handleUpgradeEnterprise(
  serverId: string,
  version: string,
): Promise<Outcome<JobView>> {
  const parsed = OdooVersion.safeParse(version);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Unsupported version' };
  }
  return attempt(() => api.versions.upgradeEnterprise.mutate({ serverId, version: parsed.data }));
}
