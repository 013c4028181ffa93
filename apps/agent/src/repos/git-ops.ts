import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { ProcessResult } from '../system/run-process';

const execFileAsync = promisify(execFile);

// Each phase git reports, and the share of the transfer it stands for.
const PHASES: readonly { pattern: RegExp; from: number; to: number }[] = [
  { pattern: /Receiving objects:\s+(\d+)%/, from: 0, to: 0.75 },
  { pattern: /Resolving deltas:\s+(\d+)%/, from: 0.75, to: 0.85 },
  { pattern: /Updating files:\s+(\d+)%/, from: 0.85, to: 1 },
];
const PROGRESS_LINE =
  /^(remote: )?(Cloning into|Enumerating|Counting|Compressing|Receiving|Resolving|Updating|Total|From)\b/;
const AUTH_FAILURE =
  /Authentication failed|could not read (Username|Password)|terminal prompts disabled|HTTP Basic: Access denied|The requested URL returned error: 40[13]|Permission denied \(publickey|Invalid username or password/i;
const BRANCH_MISSING = /Remote branch .* not found|couldn't find remote ref/i;

export interface GitTransferInput {
  context: JobContext;
  /** For messages: the URL without credentials (a URL with credentials is refused). */
  url: string;
  branch: string;
  /** From gitEnvironment: carries the token, if any. */
  env: Record<string, string>;
  /** 0..1 of the transfer. */
  onProgress: (fraction: number) => void;
}

/** A shallow clone of one branch, without tags: all Odoo needs is the tip's files. */
export async function cloneBranch(input: GitTransferInput & { destination: string }) {
  const result = await input.context.run(
    'git',
    [
      'clone',
      '--progress',
      '--depth',
      '1',
      '--single-branch',
      '--no-tags',
      '--branch',
      input.branch,
      '--',
      input.url,
      input.destination,
    ],
    { env: input.env, onLine: progressParser(input.onProgress) },
  );
  if (result.code !== 0) throw transferFailure('clone', input, result);
  input.onProgress(1);
}

/**
 * Fetches the branch's newest commit into `refs/remotes/origin/<branch>` (forced, so a
 * rewritten branch is followed too) and answers it.
 */
export async function fetchBranch(input: GitTransferInput & { dir: string }): Promise<string> {
  const ref = `refs/remotes/origin/${input.branch}`;
  const result = await input.context.run(
    'git',
    [
      '-C',
      input.dir,
      'fetch',
      '--progress',
      '--depth',
      '1',
      '--no-tags',
      'origin',
      `+refs/heads/${input.branch}:${ref}`,
    ],
    { env: input.env, onLine: progressParser(input.onProgress) },
  );
  if (result.code !== 0) throw transferFailure('fetch', input, result);
  input.onProgress(1);
  return revParse(input.dir, `${ref}^{commit}`, input.env, input.context.signal);
}

/** Moves the checkout (and its branch) to `commit`, files included. */
export async function checkOut(
  context: JobContext,
  dir: string,
  commit: string,
  env: Record<string, string>,
): Promise<void> {
  const result = await context.run('git', ['-C', dir, 'reset', '--hard', '--quiet', commit], {
    env,
  });
  if (result.code !== 0) {
    throw new JobFailure(
      'git_checkout_failed',
      `git could not check out ${commit} in ${dir}: ${result.stderrTail.slice(-3).join(' ') || 'no message'}`,
    );
  }
}

export async function revParse(
  dir: string,
  rev: string,
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string> {
  const [commit = ''] = await gitLines(dir, ['rev-parse', '--verify', '--quiet', rev], env, signal);
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) {
    throw new JobFailure('git_failed', `git cannot resolve ${rev} in ${dir}`);
  }
  return commit;
}

/** Paths that differ between the trees of two commits (both are present after the fetch). */
export function changedPaths(
  dir: string,
  from: string,
  to: string,
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string[]> {
  return gitNulList(
    dir,
    ['diff', '--name-only', '--no-renames', '-z', from, to, '--'],
    env,
    signal,
  );
}

/** Every file of a commit. */
export function filesOf(
  dir: string,
  commit: string,
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string[]> {
  return gitNulList(dir, ['ls-tree', '-r', '--name-only', '-z', commit], env, signal);
}

async function gitNulList(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string[]> {
  const stdout = await gitOutput(dir, args, env, signal);
  return stdout.split('\0').filter((path) => path !== '');
}

async function gitLines(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string[]> {
  return (await gitOutput(dir, args, env, signal).catch(() => ''))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A short local git query (no network): its whole stdout. */
async function gitOutput(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', ['-C', dir, ...args], {
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      ...(signal === undefined ? {} : { signal }),
    });
    return stdout;
  } catch (error) {
    if (signal?.aborted) throw error;
    const detail =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String(error.stderr).trim().split('\n').slice(-2).join(' ')
        : String(error);
    throw new JobFailure('git_failed', `git ${args[0] ?? ''} failed in ${dir}: ${detail}`);
  }
}

function progressParser(onProgress: (fraction: number) => void) {
  return (line: string) => {
    for (const phase of PHASES) {
      const match = phase.pattern.exec(line);
      if (match?.[1]) {
        const percent = Math.min(100, Number(match[1]));
        onProgress(phase.from + ((phase.to - phase.from) * percent) / 100);
      }
    }
  };
}

function transferFailure(
  action: 'clone' | 'fetch',
  input: GitTransferInput,
  result: ProcessResult,
): JobFailure {
  const problems = result.stderrTail.filter((line) => !PROGRESS_LINE.test(line));
  const all = problems.join('\n');
  const fatal = problems.filter((line) => /^(fatal|error):/.test(line));
  const detail = (fatal.length > 0 ? fatal : problems).slice(-3).join(' ') || 'no message';
  if (AUTH_FAILURE.test(all)) {
    return new JobFailure(
      'git_auth_failed',
      `${input.url} refused access: give an access token with read access to the repository ` +
        `(or, for ssh URLs, add this server's key to the Git host). git said: ${detail}`,
    );
  }
  if (BRANCH_MISSING.test(all)) {
    return new JobFailure(
      'git_branch_not_found',
      `${input.url} has no branch "${input.branch}": check the branch name`,
    );
  }
  return new JobFailure(
    `git_${action}_failed`,
    `git could not ${action} branch ${input.branch} of ${input.url} ` +
      `(exit ${result.code ?? result.signal}): ${detail}`,
  );
}
