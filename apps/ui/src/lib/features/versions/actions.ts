import { OdooVersion } from '@ordo/protocol';
import type { Edition } from '@ordo/protocol';
import type { JobView, VersionListView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { versionsStore } from './versions.svelte';

/** Loads the chosen server's versions; a background refresh failing keeps what is shown. */
export async function handleLoadVersions(background = false): Promise<void> {
  const serverId = versionsStore.serverId;
  if (serverId === null) return;
  if (!background) versionsStore.status = 'loading';
  try {
    const list = await api.versions.list.query({ serverId });
    if (serverId !== versionsStore.serverId) return;
    versionsStore.list = list;
    versionsStore.status = 'ready';
    versionsStore.loadError = null;
    versionsStore.refreshError = null;
  } catch (error) {
    if (serverId !== versionsStore.serverId) return;
    if (background && versionsStore.status === 'ready') {
      const apiError = readApiError(error);
      if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
      versionsStore.refreshError = apiError.message;
      return;
    }
    versionsStore.status = 'error';
    versionsStore.loadError = readApiError(error).message;
    handleError(error, 'Could not load the versions');
  }
}

/** The versions of any server, for the create form; `null` when they could not be read. */
export async function fetchVersions(serverId: string): Promise<VersionListView | null> {
  try {
    return await api.versions.list.query({ serverId });
  } catch (error) {
    handleError(error, 'Could not load the versions of that server');
    return null;
  }
}

export type InstallOutcome = { ok: true; job: JobView } | { ok: false; message: string };

/** Starts an install; a refusal (already installing, agent down) comes back for the dialog. */
export async function handleInstallVersion(
  serverId: string,
  version: string,
  edition: Edition,
): Promise<InstallOutcome> {
  const parsed = OdooVersion.safeParse(version);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Unsupported version' };
  }
  try {
    const job = await api.versions.install.mutate({ serverId, version: parsed.data, edition });
    void handleLoadVersions(true);
    return { ok: true, job };
  } catch (error) {
    const apiError = readApiError(error);
    if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
    return { ok: false, message: apiError.message };
  }
}
