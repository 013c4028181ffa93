import { spawn } from 'node:child_process';
import type { Environment } from '../config';

export interface RunProcessOptions {
  cwd?: string;
  env?: Environment;
  /** Aborting kills the whole process group: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal?: AbortSignal;
  killGraceMs?: number;
  /** Every output line; git and pip redraw progress with "\r", which counts as a line end. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the process runs, e.g. to record it so a restarted agent can reap it. */
  onSpawn?: (pid: number) => void;
}

export interface ProcessResult {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last non-empty stderr lines, for error messages. */
  stderrTail: string[];
}

/** The program could not be started at all (not installed, not executable). */
export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

const STDERR_TAIL_LINES = 20;

/**
 * Runs a program with an argument array (never through a shell) as the leader of a new process
 * group, so that cancelling also stops the helpers it started (git's index-pack, pip's builds).
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stderrTail: string[] = [];
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (how: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, how);
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000);
    };

    const readLines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      let rest = '';
      const emit = (line: string) => {
        const trimmed = line.trimEnd();
        if (trimmed === '') return;
        if (name === 'stderr') {
          stderrTail.push(trimmed);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        }
        options.onLine?.(trimmed, name);
      };
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split(/\r\n|\r|\n/);
        rest = lines.pop() ?? '';
        lines.forEach(emit);
      });
      stream.on('end', () => emit(rest));
    };
    readLines(child.stdout, 'stdout');
    readLines(child.stderr, 'stderr');

    child.once('spawn', () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const reason = error.code === 'ENOENT' ? 'not found' : (error.code ?? error.message);
      reject(new ProcessStartError(`Cannot run ${command} (${reason})`, { cause: error }));
    });
    child.once('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (signal?.aborted) reject(abortError(signal));
      else resolve({ code, signal: exitSignal, stderrTail });
    });
  });
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
