import type { Kysely, Transaction } from 'kysely';
import type { GitRepoRow, NewGitRepo } from '../repos-types';
import type { Database } from '../types';

export function insertGitRepo(db: Kysely<Database>, row: NewGitRepo): Promise<unknown> {
  return db.insertInto('git_repos').values(row).execute();
}

export function findGitRepo(db: Kysely<Database>, id: string): Promise<GitRepoRow | undefined> {
  return db.selectFrom('git_repos').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The repository with its row locked until the transaction ends (pull coalescing). */
export function lockGitRepo(
  trx: Transaction<Database>,
  id: string,
): Promise<GitRepoRow | undefined> {
  return trx
    .selectFrom('git_repos')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The repository whose clone or pull is this job, locked. */
export function lockGitRepoByJob(
  trx: Transaction<Database>,
  jobId: string,
): Promise<GitRepoRow | undefined> {
  return trx
    .selectFrom('git_repos')
    .selectAll()
    .where('pull_job_id', '=', jobId)
    .forUpdate()
    .executeTakeFirst();
}

/** In the order they were added. */
export function listGitRepos(
  db: Kysely<Database>,
  serverId: string,
  instanceName: string,
): Promise<GitRepoRow[]> {
  return db
    .selectFrom('git_repos')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('instance_name', '=', instanceName)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findGitRepoByUrl(
  db: Kysely<Database>,
  key: { serverId: string; instanceName: string; url: string; branch: string },
): Promise<GitRepoRow | undefined> {
  return db
    .selectFrom('git_repos')
    .selectAll()
    .where('server_id', '=', key.serverId)
    .where('instance_name', '=', key.instanceName)
    .where('url', '=', key.url)
    .where('branch', '=', key.branch)
    .executeTakeFirst();
}

export type PullStateChanges = Partial<
  Pick<GitRepoRow, 'pull_job_id' | 'pull_claimed_at' | 'pull_pending'>
>;

export async function updatePullState(
  db: Kysely<Database>,
  id: string,
  changes: PullStateChanges,
): Promise<void> {
  await db.updateTable('git_repos').set(changes).where('id', '=', id).execute();
}

export async function deleteGitRepo(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('git_repos').where('id', '=', id).execute();
}

/** Forgets the repositories of a deleted instance (the agent deleted their checkouts with it). */
export async function deleteGitReposOfInstance(
  db: Kysely<Database>,
  serverId: string,
  instanceName: string,
): Promise<void> {
  await db
    .deleteFrom('git_repos')
    .where('server_id', '=', serverId)
    .where('instance_name', '=', instanceName)
    .execute();
}
