import type { Environment } from '../config';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { childEnvironment } from '../system/child-environment';
import { redactUrl } from './redact-url';

export interface CloneOdooInput {
  context: JobContext;
  gitUrl: string;
  /** The branch, e.g. "17.0". */
  version: string;
  destination: string;
  env: Environment;
  /** Receives clone progress, 0..1. */
  onProgress: (fraction: number) => void;
}

// Each phase git reports, and the share of the clone it stands for.
const PHASES: readonly { pattern: RegExp; from: number; to: number }[] = [
  { pattern: /Receiving objects:\s+(\d+)%/, from: 0, to: 0.75 },
  { pattern: /Resolving deltas:\s+(\d+)%/, from: 0.75, to: 0.85 },
  { pattern: /Updating files:\s+(\d+)%/, from: 0.85, to: 1 },
];
const PROGRESS_LINE =
  /^(remote: )?(Cloning into|Enumerating|Counting|Compressing|Receiving|Resolving|Updating|Total)\b/;
/** What ssh says when it could not get in (key not accepted, unknown host…): worth showing. */
const SSH_PROBLEM =
  /Permission denied|Host key verification failed|Could not resolve hostname|Connection (refused|timed out|closed)/;

/** A shallow clone of one branch, with git's progress parsed into `onProgress`. */
export async function cloneOdoo(input: CloneOdooInput): Promise<void> {
  const { context, version } = input;
  const source = redactUrl(input.gitUrl);
  context.log(`Cloning branch ${version} of ${source}`);
  const result = await context.run(
    'git',
    [
      'clone',
      '--progress',
      '--depth',
      '1',
      '--single-branch',
      '--branch',
      version,
      '--',
      input.gitUrl,
      input.destination,
    ],
    {
      // Progress is parsed from English output; a missing credential must fail, not prompt.
      env: childEnvironment(input.env, { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }),
      onLine: (line) => {
        for (const phase of PHASES) {
          const match = phase.pattern.exec(line);
          if (match?.[1]) {
            const percent = Math.min(100, Number(match[1]));
            input.onProgress(phase.from + ((phase.to - phase.from) * percent) / 100);
          }
        }
      },
    },
  );
  if (result.code !== 0) {
    const problems = result.stderrTail.filter((line) => !PROGRESS_LINE.test(line));
    const fatal = problems.filter((line) => /^(fatal|error):/.test(line) || SSH_PROBLEM.test(line));
    const detail = (fatal.length > 0 ? fatal : problems).slice(-3).join(' ') || 'no message';
    throw new JobFailure(
      'git_clone_failed',
      `git could not clone branch ${version} of ${source} (exit ${result.code ?? result.signal}): ${detail}`,
    );
  }
  input.onProgress(1);
}

/** The commit checked out in `dir`, or null if git cannot tell. */
export async function headCommit(
  context: JobContext,
  dir: string,
  env: Environment,
): Promise<string | null> {
  const lines: string[] = [];
  const result = await context.run('git', ['-C', dir, 'rev-parse', 'HEAD'], {
    env: childEnvironment(env, { LC_ALL: 'C' }),
    quiet: true,
    onLine: (line, stream) => {
      if (stream === 'stdout') lines.push(line);
    },
  });
  const commit = lines[0] ?? '';
  return result.code === 0 && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null;
}
