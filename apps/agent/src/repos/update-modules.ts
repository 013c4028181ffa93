import type { Environment } from '../config';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { followLogFile } from '../odoo/follow-log-file';
import { isHeaderLine, parseLogEntry } from '../odoo/log-entry';
import { odooCommand } from '../runtime/native/spawn-odoo';
import type { RuntimeInstance } from '../runtime/runtime';
import { childEnvironment } from '../system/child-environment';

/**
 * `odoo-bin -c odoo.conf -d <db> -u <modules> --stop-after-init --no-http`, as Odoo's docs say
 * to update modules, with the instance stopped. Odoo writes to its logfile, which is followed
 * into the job log. Module names were checked (letters, digits, "_"), so the comma list is safe.
 *
 * Checked against odoo/service/server.py (read in 17.0): start() → server.run(preload, stop)
 * → preload_registries([db]) runs Registry.new(db, update_module=True) and, on failure, logs
 * CRITICAL "Failed to initialize database `<db>`" and returns -1, which becomes the exit code.
 * `--no-http` because with `workers` > 0 PreforkServer.run() calls start(), which binds
 * http_port even with --stop-after-init (ThreadedServer does not): a port still held (an
 * instance that did not stop, another process) would fail the update before it starts.
 */
export async function updateModules(input: {
  context: JobContext;
  instance: RuntimeInstance;
  database: string;
  modules: readonly string[];
  env: Environment;
}): Promise<void> {
  const { context, instance } = input;
  const { python, odooBin } = odooCommand(instance);
  const errors: string[] = [];
  const remember = (line: string) => {
    if (isHeaderLine(line)) {
      const entry = parseLogEntry(0, line, []);
      if (entry.level === 'ERROR' || entry.level === 'CRITICAL') {
        errors.push(`${entry.logger ?? ''}: ${entry.message}`);
      }
    }
  };
  const follower = await followLogFile(instance.logfile, (line) => {
    context.log(line);
    remember(line);
  });
  let result;
  try {
    result = await context.run(
      python,
      [
        odooBin,
        '-c',
        instance.confPath,
        '-d',
        input.database,
        '-u',
        input.modules.join(','),
        '--stop-after-init',
        '--no-http',
      ],
      { cwd: instance.dir, env: childEnvironment(input.env, { PYTHONUNBUFFERED: '1' }) },
    );
  } finally {
    await follower.stop();
  }
  // Odoo exits non-zero when the update failed (and rolled back); ERROR lines alone may be noise.
  if (result.code === 0) return;
  const detail =
    errors.slice(-2).join(' | ') || result.stderrTail.slice(-3).join(' | ') || 'no message';
  throw new JobFailure(
    'odoo_update_failed',
    `Odoo could not update ${input.modules.join(', ')} in "${input.database}" ` +
      `(exit ${result.code ?? result.signal}): ${detail}`,
  );
}
