import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { REPO_ROOT } from './repo-paths';

export interface ServiceProcess {
  /** The URL the service logged once it listened. */
  url: string;
  /** Everything the process printed so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
  /** SIGKILL: the process dies without cleaning up (a crash, an OOM kill, a pulled plug). */
  kill: () => Promise<void>;
}

export interface ServiceOptions {
  name: string;
  entry: string;
  env: Record<string, string>;
  /** The pino `msg` of the log line that carries `url` once the service listens. */
  readyMessage: string;
  timeoutMs?: number;
}

const ReadyLine = z.object({ msg: z.string(), url: z.string() });
const STOP_GRACE_MS = 5_000;
const KEPT_LINES = 300;

/**
 * Runs `node <entry>` with only the given environment (plus PATH and HOME, so nothing from the
 * developer's shell leaks in) and resolves once it logs `readyMessage` with its URL.
 */
export function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [options.entry], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
  };
  const output = () => lines.join('\n');
  createInterface({ input: child.stderr }).on('line', keep);
  const stdout = createInterface({ input: child.stdout });

  return new Promise<ServiceProcess>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.name} ${reason}. Its output:\n${output()}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not be spawned (${error.message})`));
    child.once('exit', (code, signal) =>
      fail(`exited (${signal ?? `code ${code}`}) before it listened`),
    );

    stdout.on('line', (line) => {
      keep(line);
      const ready = parseReadyLine(line, options.readyMessage);
      if (ready === null) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      resolve({
        url: ready,
        output,
        stop: () => stopChild(child),
        kill: () => killChild(child),
      });
    });
  });
}

function parseReadyLine(line: string, readyMessage: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = ReadyLine.safeParse(json);
  return parsed.success && parsed.data.msg === readyMessage ? parsed.data.url : null;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
