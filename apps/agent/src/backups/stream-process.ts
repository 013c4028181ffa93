import { spawn } from 'node:child_process';
import { Writable, type Readable } from 'node:stream';

export interface StreamedProcess {
  stdout: Readable;
  stdin: Writable;
  /** Resolves when it ends; rejects with the last stderr lines when it fails or is killed. */
  done: Promise<void>;
  kill(): void;
}

/**
 * A program whose stdout/stdin the caller streams (pg_dump into a ZIP entry, a dump into psql).
 * Arguments as an array, never a shell; killed with `signal`.
 */
export function streamProcess(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; signal: AbortSignal; stdin?: boolean },
): StreamedProcess {
  const child = spawn(command, args, {
    env: options.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const { stdout, stderr, stdin } = child;
  if (stdout === null || stderr === null) throw new Error(`${command}: no output pipes`);
  const tail: string[] = [];
  stderr.setEncoding('utf8');
  stderr.on('data', (text: string) => {
    tail.push(...text.split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - 10));
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  options.signal.addEventListener('abort', kill, { once: true });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`Cannot run ${command}: ${error.message}`)));
    child.once('close', (code, signal) => {
      options.signal.removeEventListener('abort', kill);
      if (code === 0) resolve();
      else {
        const detail = tail.slice(-3).join(' | ') || `exit ${code ?? signal ?? '?'}`;
        reject(new Error(`${command} failed: ${detail}`));
      }
    });
  });
  // The caller awaits `done`; this only keeps an early failure from being unhandled meanwhile.
  done.catch(() => {});
  return {
    stdout,
    stdin: stdin ?? new Writable({ write: (_chunk, _encoding, callback) => callback() }),
    done,
    kill,
  };
}
