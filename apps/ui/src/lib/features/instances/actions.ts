import type { InstanceView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { instancesStore } from './instances.svelte';
import type { InstanceActivity } from './instances.svelte';

/** `null` when the list could not be loaded (the toast says why). */
export async function handleLoadInstances(): Promise<InstanceView[] | null> {
  try {
    return await api.instances.list.query({});
  } catch (error) {
    handleError(error, 'Could not load the instances');
    return null;
  }
}

/** Refreshes the Instances page; a failing background refresh keeps the cards as they were. */
export async function handleRefreshInstances(background = false): Promise<void> {
  if (!background && instancesStore.status !== 'ready') instancesStore.status = 'loading';
  try {
    instancesStore.instances = await api.instances.list.query({});
    instancesStore.status = 'ready';
    instancesStore.loadError = null;
    instancesStore.refreshError = null;
  } catch (error) {
    if (background && instancesStore.status === 'ready') {
      const apiError = readApiError(error);
      if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
      instancesStore.refreshError = apiError.message;
      return;
    }
    instancesStore.status = 'error';
    instancesStore.loadError = handleError(error, 'Could not load the instances').message;
  }
}

const ACTION_WORDS = {
  start: { done: 'started', failed: 'start' },
  stop: { done: 'stopped', failed: 'stop' },
  restart: { done: 'restarted', failed: 'restart' },
} satisfies Record<InstanceActivity, { done: string; failed: string }>;

export async function handleInstanceAction(
  instance: InstanceView,
  action: InstanceActivity,
): Promise<void> {
  const ref = { serverId: instance.serverId, name: instance.name };
  instancesStore.setActivity(instance, action);
  try {
    const updated = await runAction(action, ref);
    instancesStore.replace(updated);
    toastManager.show('success', `${instance.name} ${ACTION_WORDS[action].done}`);
  } catch (error) {
    handleError(error, `Could not ${ACTION_WORDS[action].failed} ${instance.name}`);
  } finally {
    instancesStore.setActivity(instance, undefined);
  }
  await handleRefreshInstances(true);
}

function runAction(
  action: InstanceActivity,
  ref: { serverId: string; name: string },
): Promise<InstanceView> {
  switch (action) {
    case 'start':
      return api.instances.start.mutate(ref);
    case 'stop':
      return api.instances.stop.mutate(ref);
    case 'restart':
      return api.instances.restart.mutate(ref);
  }
}

/** The decrypted master or admin password; `null` when it could not be read (toast shown). */
export async function handleRevealSecret(
  instance: Pick<InstanceView, 'serverId' | 'name'>,
  secret: 'master' | 'admin',
): Promise<string | null> {
  try {
    const { value } = await api.instances.revealSecret.mutate({
      serverId: instance.serverId,
      name: instance.name,
      secret,
    });
    return value;
  } catch (error) {
    handleError(error, `Could not read the ${secret} password of ${instance.name}`);
    return null;
  }
}

export async function handleDeleteInstance(instance: InstanceView): Promise<boolean> {
  try {
    await api.instances.remove.mutate({ serverId: instance.serverId, name: instance.name });
  } catch (error) {
    handleError(error, `Could not delete ${instance.name}`);
    return false;
  }
  instancesStore.forget(instance);
  toastManager.show('success', `${instance.name} deleted`);
  await handleRefreshInstances(true);
  return true;
}
