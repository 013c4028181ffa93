import type {
  InstanceView,
  JobView,
  RepoListResult,
  RepoView,
  WebhookDeliveryView,
} from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { repoShortName } from './repo-format';

type InstanceRef = Pick<InstanceView, 'serverId' | 'name'>;

const refOf = (instance: InstanceRef) => ({ serverId: instance.serverId, name: instance.name });
const repoRef = (instance: InstanceRef, repo: Pick<RepoView, 'id'>) => ({
  ...refOf(instance),
  repoId: repo.id,
});

/** The instance's repositories; `null` when they could not be read (toast shown unless quiet). */
export async function handleListRepos(
  instance: InstanceRef,
  quiet = false,
): Promise<RepoListResult | null> {
  try {
    return await api.repos.list.query(refOf(instance));
  } catch (error) {
    if (!quiet) handleError(error, `Could not list the repositories of ${instance.name}`);
    return null;
  }
}

export async function handleListDeliveries(
  instance: InstanceRef,
  filter: { repoId?: string; result?: WebhookDeliveryView['result'] } = {},
): Promise<WebhookDeliveryView[] | null> {
  try {
    return await api.repos.deliveries.query({ ...refOf(instance), ...filter, limit: 50 });
  } catch {
    // The list above reports the trouble; deliveries just wait for the next refresh.
    return null;
  }
}

export type AddRepoOutcome =
  { ok: true; repo: RepoView; job: JobView } | { ok: false; message: string };

/** Adds the repository (its clone runs as a job); a refusal comes back for the form to show. */
export async function handleAddRepo(
  instance: InstanceRef,
  input: { url: string; branch: string; token?: string | undefined },
): Promise<AddRepoOutcome> {
  try {
    const { repo, job } = await api.repos.add.mutate({
      ...refOf(instance),
      url: input.url,
      branch: input.branch,
      ...(input.token === undefined ? {} : { token: input.token }),
    });
    toastManager.show('success', `Cloning ${repoShortName(repo.url)} into ${instance.name}`);
    return { ok: true, repo, job };
  } catch (error) {
    return { ok: false, message: readApiError(error).message };
  }
}

/** Starts a pull; `null` when it was refused (toast shown). */
export async function handlePullRepo(
  instance: InstanceRef,
  repo: RepoView,
): Promise<JobView | null> {
  try {
    const { job } = await api.repos.pull.mutate(repoRef(instance, repo));
    return job;
  } catch (error) {
    handleError(error, `Could not pull ${repoShortName(repo.url)}`);
    return null;
  }
}

export async function handleRemoveRepo(instance: InstanceRef, repo: RepoView): Promise<boolean> {
  try {
    await api.repos.remove.mutate(repoRef(instance, repo));
  } catch (error) {
    handleError(error, `Could not remove ${repoShortName(repo.url)}`);
    return false;
  }
  toastManager.show('success', `${repoShortName(repo.url)} removed from ${instance.name}`);
  return true;
}

/** The webhook secret for reveal/copy; `null` when it could not be read (toast shown). */
export async function handleRevealWebhookSecret(
  instance: InstanceRef,
  repo: RepoView,
): Promise<string | null> {
  try {
    return (await api.repos.revealSecret.mutate(repoRef(instance, repo))).value;
  } catch (error) {
    handleError(error, 'Could not read the webhook secret');
    return null;
  }
}
