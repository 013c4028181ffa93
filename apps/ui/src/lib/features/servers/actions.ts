import type { ServerView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { fieldForServerError, validateCreate, validateUpdate } from './server-form';
import type { ServerFormErrors, ServerFormValues } from './server-form';
import type { RowMessage } from './server-format';
import { describePing, describeSync } from './server-format';
import { serversStore } from './servers.svelte';
import type { RowActivity } from './servers.svelte';

export type FormOutcome =
  | { ok: true; server: ServerView }
  | { ok: false; errors: ServerFormErrors; message: string | null };

export async function handleLoadServers(): Promise<void> {
  if (serversStore.status !== 'ready') serversStore.status = 'loading';
  try {
    serversStore.servers = await api.servers.list.query();
    serversStore.status = 'ready';
    serversStore.loadError = null;
  } catch (error) {
    serversStore.status = 'error';
    serversStore.loadError = handleError(error, 'Could not load the servers').message;
  }
}

/** Creates (no `id`) or updates a server; refusals come back for the dialog to show. */
export async function handleSaveServer(
  id: string | null,
  values: ServerFormValues,
): Promise<FormOutcome> {
  try {
    let server: ServerView;
    if (id === null) {
      const validated = validateCreate(values);
      if (!validated.ok) return { ok: false, errors: validated.errors, message: null };
      server = await api.servers.create.mutate(validated.input);
    } else {
      const validated = validateUpdate(id, values);
      if (!validated.ok) return { ok: false, errors: validated.errors, message: null };
      server = await api.servers.update.mutate(validated.input);
    }
    toastManager.show('success', `Server ${server.name} ${id === null ? 'added' : 'saved'}`);
    await handleLoadServers();
    return { ok: true, server };
  } catch (error) {
    const { code, message } = readApiError(error);
    const field = fieldForServerError(code);
    return field
      ? { ok: false, errors: { [field]: message }, message: null }
      : { ok: false, errors: {}, message };
  }
}

export async function handlePingServer(server: ServerView): Promise<void> {
  await runRowAction(server, 'ping', async () => {
    const result = await api.servers.ping.mutate({ id: server.id });
    return describePing(result);
  });
}

export async function handleSyncServer(server: ServerView): Promise<void> {
  await runRowAction(server, 'sync', async () => {
    const result = await api.servers.sync.mutate({ id: server.id });
    return describeSync(result);
  });
}

export async function handleDeleteServer(server: ServerView): Promise<boolean> {
  try {
    await api.servers.remove.mutate({ id: server.id });
  } catch (error) {
    handleError(error, `Could not delete server ${server.name}`);
    return false;
  }
  serversStore.setMessage(server.id, undefined);
  toastManager.show('success', `Server ${server.name} deleted`);
  await handleLoadServers();
  return true;
}

/** Ping and Sync answer on the row itself; the list is reloaded for the new status and counts. */
async function runRowAction(
  server: ServerView,
  activity: RowActivity,
  run: () => Promise<RowMessage>,
): Promise<void> {
  serversStore.setActivity(server.id, activity);
  serversStore.setMessage(server.id, undefined);
  try {
    serversStore.setMessage(server.id, await run());
  } catch (error) {
    const apiError = readApiError(error);
    if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
    serversStore.setMessage(server.id, { tone: 'danger', text: apiError.message });
  } finally {
    serversStore.setActivity(server.id, undefined);
  }
  await handleLoadServers();
}
