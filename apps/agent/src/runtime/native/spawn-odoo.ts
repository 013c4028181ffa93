import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '../../config';
import { childEnvironment } from '../../system/child-environment';
import { RuntimeError, type RuntimeInstance } from '../runtime';
import { stdoutLogPath } from './pidfile';

/** `<version>/venv/bin/python` and `<version>/odoo/odoo-bin`. */
export function odooCommand(instance: RuntimeInstance): { python: string; odooBin: string } {
  return {
    python: join(instance.versionDir, 'venv', 'bin', 'python'),
    odooBin: join(instance.versionDir, 'odoo', 'odoo-bin'),
  };
}

/**
 * Starts `odoo-bin -c <conf>` as the leader of its own session and process group, detached
 * from the agent (it survives an agent restart), its stdout and stderr appended to
 * `<instance>/odoo.stdout.log` (Odoo's own log goes to its logfile).
 */
export interface SpawnedOdoo {
  child: ChildProcess;
  pid: number;
  /** How it ended; listened for from the start, so even an instant exit is seen. */
  exited: Promise<string>;
}

export async function spawnOdoo(instance: RuntimeInstance, env: Environment): Promise<SpawnedOdoo> {
  const { python, odooBin } = odooCommand(instance);
  for (const path of [python, odooBin]) {
    try {
      await access(path, constants.X_OK);
    } catch {
      throw new RuntimeError(
        `Cannot start ${instance.name}: ${path} is missing; reinstall Odoo ${instance.version}`,
      );
    }
  }
  const output = await open(stdoutLogPath(instance.dir), 'a', 0o640);
  try {
    const child = spawn(python, [odooBin, '-c', instance.confPath], {
      cwd: instance.dir,
      env: childEnvironment(env, { PYTHONUNBUFFERED: '1' }),
      stdio: ['ignore', output.fd, output.fd],
      detached: true,
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) =>
        resolve(signal === null ? `exited with status ${code ?? '?'}` : `was killed by ${signal}`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new RuntimeError(`Cannot start ${instance.name}: ${error.code ?? error.message}`, {
            cause: error,
          }),
        ),
      );
    });
    child.unref();
    if (child.pid === undefined) throw new RuntimeError(`Cannot start ${instance.name}: no pid`);
    return { child, pid: child.pid, exited };
  } finally {
    await output.close();
  }
}
