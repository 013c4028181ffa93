import { readFile } from 'node:fs/promises';
import { CommitSha, RepoId, RepoPullSummary, type GitRepo } from '@ordo/protocol';
import { z } from 'zod';
import { AgentError } from '../errors';
import { isNotFound, writeFileAtomic } from '../system/write-file-atomic';
import { checkoutPath, repoPaths } from './repo-paths';

/** The agent's record of one repository; never holds a token. */
export const RepoRecord = z.object({
  id: RepoId,
  url: z.string().min(1),
  branch: z.string().min(1),
  /** Null while the first clone runs. */
  commit: CommitSha.nullable(),
  lastPullAt: z.iso.datetime({ offset: true }).nullable(),
  lastPull: RepoPullSummary.nullable(),
  addedAt: z.iso.datetime({ offset: true }),
});
export type RepoRecord = z.infer<typeof RepoRecord>;

const RepoFile = z.object({ repos: z.array(RepoRecord) });

/** The instance's repository records in the order they were added; none when no file. */
export async function readRepoRecords(root: string, instance: string): Promise<RepoRecord[]> {
  const path = repoPaths(root, instance).records;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw unusable(path, error instanceof Error ? error.message : String(error));
  }
  const parsed = RepoFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw unusable(path, issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid');
  }
  return parsed.data.repos;
}

export async function writeRepoRecords(
  root: string,
  instance: string,
  records: readonly RepoRecord[],
): Promise<void> {
  const file = RepoFile.parse({ repos: records });
  await writeFileAtomic(repoPaths(root, instance).records, `${JSON.stringify(file, null, 2)}\n`);
}

export function toGitRepo(root: string, instance: string, record: RepoRecord): GitRepo {
  return {
    id: record.id,
    url: record.url,
    branch: record.branch,
    commit: record.commit,
    lastPullAt: record.lastPullAt,
    path: checkoutPath(root, instance, record.id),
    lastPull: record.lastPull,
  };
}

function unusable(path: string, reason: string): AgentError {
  return new AgentError(
    'internal',
    500,
    `The repository list ${path} is unusable (${reason}); fix or remove it`,
  );
}
