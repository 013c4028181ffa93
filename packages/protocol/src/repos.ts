import { z } from 'zod';
import { Job } from './jobs';

/**
 * Repository ids name the checkout directory, so they are kept to a safe file name. The control
 * plane passes its own uuid; the agent generates one when the caller gives none.
 */
export const REPO_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const RepoId = z
  .string()
  .regex(
    REPO_ID_PATTERN,
    'Repository id must be 1-63 characters of lowercase letters, digits or "-", starting with a letter or digit',
  );
export type RepoId = z.infer<typeof RepoId>;

/** `git@github.com:owner/repo.git`: the scp-like form ssh users paste from Git hosts. */
// User and host start with a letter or digit: a leading "-" would reach ssh as an option.
const SCP_LIKE_URL = /^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9.-]*:[^\s]+$/;
const URL_SCHEMES = ['https:', 'http:', 'ssh:', 'file:'] as const;

/**
 * Why `url` cannot be cloned as given, or null when it can. Credentials in the URL are refused:
 * they would end up in `.git/config` and in process lists; private repositories take `token`.
 */
export function repoUrlProblem(url: string): string | null {
  if (url.length === 0) return 'Enter the repository URL';
  if (url.length > 2000) return 'The repository URL is at most 2000 characters';
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse here.
  if (/[\s\x00-\x1f\x7f]/.test(url)) return 'The repository URL may not contain spaces';
  if (SCP_LIKE_URL.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Use an https://, http://, ssh://, file:// or git@host:path repository URL';
  }
  if (!(URL_SCHEMES as readonly string[]).includes(parsed.protocol)) {
    return 'Use an https://, http://, ssh://, file:// or git@host:path repository URL';
  }
  if (parsed.password !== '') {
    return 'Remove the password from the URL and give it as the access token instead';
  }
  if (parsed.protocol !== 'ssh:' && parsed.username !== '') {
    return 'Remove the user name from the URL and give the access token instead';
  }
  if (parsed.protocol === 'file:' ? parsed.pathname === '/' : parsed.hostname === '') {
    return 'The repository URL names no repository';
  }
  if (parsed.protocol !== 'file:' && !/^[A-Za-z0-9[]/.test(parsed.hostname)) {
    return 'The host name of the repository URL must start with a letter or digit';
  }
  if (parsed.username.startsWith('-')) {
    return 'The user name in the URL must start with a letter or digit';
  }
  return null;
}

export const RepoUrl = z.string().superRefine((url, ctx) => {
  const problem = repoUrlProblem(url);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A branch name git accepts (`git check-ref-format --branch`), kept to what Git hosts use. */
export const RepoBranch = z
  .string()
  .min(1, 'Enter the branch')
  .max(200, 'The branch name is at most 200 characters')
  .regex(/^[A-Za-z0-9._/+-]+$/, 'The branch name may hold letters, digits and . _ / + - only')
  .refine(
    (branch) =>
      !branch.startsWith('-') &&
      !branch.startsWith('/') &&
      !branch.endsWith('/') &&
      !branch.endsWith('.') &&
      !branch.endsWith('.lock') &&
      !branch.includes('..') &&
      !branch.includes('//') &&
      !branch.split('/').some((part) => part.startsWith('.')),
    'This is not a valid git branch name',
  );

/**
 * An access token for a private repository over http(s): sent by git as HTTP Basic auth
 * (`x-access-token:<token>`, which GitHub, GitLab and Gitea accept). Printable ASCII only: it
 * becomes an HTTP header, where a line break would inject another one.
 */
export const RepoToken = z
  .string()
  .min(1, 'The access token is empty')
  .max(4096, 'The access token is at most 4096 characters')
  .regex(/^[\x21-\x7e]+$/, 'The access token may hold printable characters only, no spaces');

/** Full 40-hex (SHA-1) or 64-hex (SHA-256) commit id. */
export const CommitSha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/);

/** What the last pull did: the commits it moved between and the modules it touched. */
export const RepoPullSummary = z.object({
  /** Commit before the pull; null when the repository had none (never happens after a clone). */
  from: CommitSha.nullable(),
  to: CommitSha,
  /** Modules with a changed file between `from` and `to`, sorted. */
  modules: z.array(z.string()),
});
export type RepoPullSummary = z.infer<typeof RepoPullSummary>;

/** A git repository checked out for an instance. */
export const GitRepo = z.object({
  id: RepoId,
  /** Never holds credentials. */
  url: z.string(),
  branch: z.string(),
  /** Commit checked out now; null until the clone finished. */
  commit: CommitSha.nullable(),
  lastPullAt: z.iso.datetime({ offset: true }).nullable(),
  /** Absolute path of the checkout on the agent's machine (it is on the addons_path). */
  path: z.string(),
  lastPull: RepoPullSummary.nullable(),
});
export type GitRepo = z.infer<typeof GitRepo>;

/** `GET /v1/instances/:name/repos`: in the order they were added. */
export const RepoList = z.object({ repos: z.array(GitRepo) });
export type RepoList = z.infer<typeof RepoList>;

/** `POST /v1/instances/:name/repos`: answered with `202 { job }` (kind `repo_clone`). */
export const AddRepoInput = z.object({
  id: RepoId.optional(),
  url: RepoUrl,
  branch: RepoBranch,
  token: RepoToken.optional(),
});
export type AddRepoInput = z.input<typeof AddRepoInput>;

/** `POST /v1/instances/:name/repos/:id/pull`: answered with `202 { job }` (kind `repo_pull`). */
export const PullRepoInput = z.object({
  token: RepoToken.optional(),
  /** Run `-u` on the modules the new commits touched (default true). */
  updateModules: z.boolean().default(true),
});
export type PullRepoInput = z.input<typeof PullRepoInput>;

/** The 202 answer of add: the clone job and the repository as recorded (commit still null). */
export const AddRepoAccepted = z.object({ job: Job, repo: GitRepo });
export type AddRepoAccepted = z.infer<typeof AddRepoAccepted>;

/** `DELETE /v1/instances/:name/repos/:id`. */
export const RepoRemoved = z.object({ ok: z.literal(true) });
export type RepoRemoved = z.infer<typeof RepoRemoved>;
