import { api } from '../../api/trpc';
import type { InstanceView } from '@ordo/protocol/panel';
import { handleError } from '../../handle-error';

/** `null` when the list could not be loaded (the toast says why). */
export async function handleLoadInstances(): Promise<InstanceView[] | null> {
  try {
    return await api.instances.list.query({});
  } catch (error) {
    handleError(error, 'Could not load the instances');
    return null;
  }
}
