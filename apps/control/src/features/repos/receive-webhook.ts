import {
  findDeliveryByReplayKey,
  insertDelivery,
  pruneDeliveries,
  updateDelivery,
} from '../../db/repositories/git-webhook-deliveries.repository';
import { findGitRepo, lockGitRepo } from '../../db/repositories/git-repos.repository';
import type { GitRepoRow, WebhookResultColumn } from '../../db/repos-types';
import { isDomainError } from '../../errors';
import type { RepoDeps } from './deps';
import { decidePull, startClaimedPull } from './pull-scheduler';
import {
  type DeliveryHeaders,
  type DeliveryMeta,
  deliveryMeta,
  isBranchDeletion,
  isPushEvent,
  parsePush,
} from './webhook-payload';
import { verifyGithubSignature, verifyGitlabToken } from './webhook-verify';

export type WebhookStatus = 200 | 202 | 400 | 401 | 404 | 409 | 413 | 500 | 502;

export interface WebhookAnswer {
  status: WebhookStatus;
  body: { ok: boolean; result: WebhookResultColumn | null; message: string; jobId?: string };
}

export interface WebhookRequest {
  repoId: string;
  headers: DeliveryHeaders;
  /** The raw body, or null when it was over the size limit (it is not read further). */
  body: Uint8Array | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND: WebhookAnswer = {
  status: 404,
  body: { ok: false, result: null, message: 'No repository has this webhook URL' },
};

interface Delivery {
  repo: GitRepoRow;
  meta: DeliveryMeta;
  ref?: string | null;
  commit?: string | null;
}

/**
 * One webhook delivery from GitHub or GitLab, judged before any work: the signature (GitHub) or
 * token (GitLab) must match the repository's secret, then only a push to the followed branch
 * pulls. Every delivery to a known repository is logged, refused ones too (without their body).
 * A delivery id seen before is a replay: 409 and no pull.
 */
export async function receiveGitWebhook(
  deps: RepoDeps,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  if (!UUID.test(request.repoId)) return NOT_FOUND;
  const repo = await findGitRepo(deps.db, request.repoId);
  if (repo === undefined) return NOT_FOUND;
  const meta = deliveryMeta(request.headers);
  const delivery: Delivery = { repo, meta };
  try {
    return await judge(deps, delivery, request);
  } finally {
    await pruneDeliveries(deps.db, repo.id).catch((error: unknown) =>
      deps.logger.warn({ err: error, repoId: repo.id }, 'cannot prune webhook deliveries'),
    );
  }
}

async function judge(
  deps: RepoDeps,
  delivery: Delivery,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  const { repo, meta } = delivery;
  if (request.body === null) {
    return log(deps, delivery, 'refused', 413, 'The body is over the 1 MB limit');
  }
  const refusal = checkSecret(deps, repo, meta, request.headers, request.body);
  if (refusal !== null) return log(deps, delivery, 'refused', 401, refusal);

  // Verified from here on: the delivery id may be claimed (replays are refused by it).
  if (meta.provider === 'github' && meta.event === 'ping') {
    return log(deps, delivery, 'ignored', 200, 'pong: the webhook is set up', { claim: true });
  }
  if (!isPushEvent(meta)) {
    return log(
      deps,
      delivery,
      'ignored',
      202,
      `Ignored: "${meta.event ?? 'no event'}" is not a push`,
      {
        claim: true,
      },
    );
  }
  const parsed = parsePush(request.body);
  if (!parsed.ok) return log(deps, delivery, 'refused', 400, parsed.message);
  delivery.ref = parsed.push.ref.slice(0, 300);
  delivery.commit = parsed.commit;
  if (parsed.push.object_kind !== undefined && parsed.push.object_kind !== 'push') {
    return log(deps, delivery, 'ignored', 202, `Ignored: a "${parsed.push.object_kind}" event`, {
      claim: true,
    });
  }
  const followed = `refs/heads/${repo.branch}`;
  if (parsed.push.ref !== followed) {
    return log(
      deps,
      delivery,
      'ignored',
      202,
      `Ignored: a push to ${delivery.ref}; this repository follows ${followed}`,
      { claim: true },
    );
  }
  if (isBranchDeletion(parsed.push)) {
    return log(deps, delivery, 'ignored', 202, `Ignored: the push deleted ${followed}`, {
      claim: true,
    });
  }
  return acceptPush(deps, delivery);
}

function checkSecret(
  deps: RepoDeps,
  repo: GitRepoRow,
  meta: DeliveryMeta,
  headers: DeliveryHeaders,
  body: Uint8Array,
): string | null {
  const secret = deps.secretBox.decrypt(repo.webhook_secret_ciphertext);
  if (meta.provider === 'github') {
    const signature = headers.get('x-hub-signature-256');
    if (signature === undefined) return 'No X-Hub-Signature-256 header: set the webhook secret';
    return verifyGithubSignature(secret, body, signature)
      ? null
      : 'Wrong X-Hub-Signature-256: the secret differs from this repository’s';
  }
  const token = headers.get('x-gitlab-token');
  if (meta.provider === 'gitlab') {
    if (token === undefined) return 'No X-Gitlab-Token header: set the secret token';
    return verifyGitlabToken(secret, token)
      ? null
      : 'Wrong X-Gitlab-Token: the secret token differs from this repository’s';
  }
  return 'Neither X-Hub-Signature-256 (GitHub) nor X-Gitlab-Token (GitLab) was sent';
}

function replayKey(meta: DeliveryMeta): string | null {
  return meta.deliveryId === null ? null : `${meta.provider}:${meta.deliveryId}`;
}

/** Stores the delivery and answers with it; `claim` takes its id, so a replay is a duplicate. */
async function log(
  deps: RepoDeps,
  delivery: Delivery,
  result: WebhookResultColumn,
  status: WebhookStatus,
  message: string,
  options: { claim?: boolean } = {},
): Promise<WebhookAnswer> {
  const key = options.claim === true ? replayKey(delivery.meta) : null;
  const id = await insertDelivery(deps.db, row(deps, delivery, { result, status, message, key }));
  if (id === null) return duplicate(deps, delivery);
  deps.logger.info(
    { repoId: delivery.repo.id, provider: delivery.meta.provider, result, status },
    'webhook delivery',
  );
  return { status, body: { ok: status < 300, result, message } };
}

function row(
  deps: RepoDeps,
  delivery: Delivery,
  outcome: { result: WebhookResultColumn; status: number; message: string; key: string | null },
) {
  return {
    repo_id: delivery.repo.id,
    received_at: deps.now?.() ?? new Date(),
    provider: delivery.meta.provider,
    event: delivery.meta.event,
    delivery_id: delivery.meta.deliveryId,
    replay_key: outcome.key,
    ref: delivery.ref ?? null,
    commit_sha: delivery.commit ?? null,
    result: outcome.result,
    http_status: outcome.status,
    message: outcome.message,
    job_id: null,
  };
}

async function duplicate(deps: RepoDeps, delivery: Delivery): Promise<WebhookAnswer> {
  const key = replayKey(delivery.meta) ?? '';
  const first = await findDeliveryByReplayKey(deps.db, delivery.repo.id, key);
  const when = first === undefined ? '' : ` at ${first.received_at.toISOString()}`;
  const message = `Delivery ${delivery.meta.deliveryId ?? ''} was received already${when}: not processed again`;
  await insertDelivery(
    deps.db,
    row(deps, delivery, { result: 'duplicate', status: 409, message, key: null }),
  );
  deps.logger.warn(
    { repoId: delivery.repo.id, provider: delivery.meta.provider },
    'webhook replay refused',
  );
  return { status: 409, body: { ok: false, result: 'duplicate', message } };
}

/**
 * A push to the followed branch. Under the repository's row lock: the delivery id is claimed
 * and either this delivery starts the pull, or one is in flight and it marks "pull again".
 */
async function acceptPush(deps: RepoDeps, delivery: Delivery): Promise<WebhookAnswer> {
  const now = deps.now?.() ?? new Date();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    // Lock before inserting: the delivery's foreign key would take a weaker lock first, and
    // two of those upgrading to FOR UPDATE would deadlock.
    await lockGitRepo(trx, delivery.repo.id);
    const id = await insertDelivery(
      trx,
      row(deps, delivery, {
        result: 'accepted',
        status: 202,
        message: 'Pull requested',
        key: replayKey(delivery.meta),
      }),
    );
    if (id === null) return null;
    return { id, decision: await decidePull(trx, delivery.repo.id, { now, queue: true }) };
  });
  if (outcome === null) return duplicate(deps, delivery);
  const { id, decision } = outcome;

  if (decision.kind === 'follows') {
    const message =
      decision.jobId === null
        ? 'Accepted: a pull is being started; one more follows it with the newest commit'
        : `Accepted: a pull is running (job ${decision.jobId}); one more follows it with the newest commit`;
    await updateDelivery(deps.db, id, { message });
    deps.logger.info({ repoId: delivery.repo.id, jobId: decision.jobId }, 'webhook push queued');
    return { status: 202, body: { ok: true, result: 'accepted', message } };
  }
  const provider = delivery.meta.provider === 'gitlab' ? 'GitLab' : 'GitHub';
  try {
    const job = await startClaimedPull(deps, decision.repo, {
      requester: null,
      requestedBy: `${provider} webhook`,
    });
    const message = `Accepted: pull started (job ${job.id})`;
    await updateDelivery(deps.db, id, { message, job_id: job.id });
    return { status: 202, body: { ok: true, result: 'accepted', message, jobId: job.id } };
  } catch (error) {
    // Not a replay if sent again: the id is released, so "Redeliver" can retry the pull.
    const status = isDomainError(error) ? (error.code === 'conflict' ? 409 : 502) : 500;
    const message = isDomainError(error)
      ? `The pull could not start: ${error.message}`
      : 'The pull could not start: internal error';
    await updateDelivery(deps.db, id, {
      result: 'refused',
      http_status: status,
      message,
      replay_key: null,
    });
    if (!isDomainError(error)) throw error;
    deps.logger.warn({ err: error, repoId: delivery.repo.id }, 'webhook pull could not start');
    return { status, body: { ok: false, result: 'refused', message } };
  }
}
