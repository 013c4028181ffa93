import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { InstanceDeps } from '../instances/instance-deps';
import { runtimeInstance } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { followLogFile } from '../odoo/follow-log-file';
import { isHeaderLine, parseLogEntry } from '../odoo/log-entry';
import { odooCommand } from '../runtime/native/spawn-odoo';
import { childEnvironment } from '../system/child-environment';

/**
 * Odoo's own `odoo-bin neutralize -c odoo.conf -d <db>`, which runs every installed module's
 * data/neutralize.sql (also custom addons' on the addons_path) in one transaction.
 *
 * Checked against odoo/cli/neutralize.py and odoo/modules/neutralize.py (16.0-18.0): `-d`
 * overrides odoo.conf's db_name (so a restore's temporary database can be named), modules in
 * state installed / to upgrade / to remove count, a module without the file is skipped, and
 * any failure logs CRITICAL "THE DATABASE IS NOT NEUTRALIZED!" and exits 1 with nothing
 * committed. The command logs through odoo.conf's `logfile`, not to stderr: the logfile is
 * followed into the job log, and its ERROR/CRITICAL lines explain a failure.
 */
export async function neutralizeDatabase(
  deps: Pick<InstanceDeps, 'root' | 'env'>,
  record: InstanceRecord,
  database: string,
  context: JobContext,
): Promise<void> {
  context.log(`Neutralizing the database ${database}`);
  const instance = runtimeInstance(deps.root, record);
  const { python, odooBin } = odooCommand(instance);
  const errors: string[] = [];
  // A running instance (a restore neutralizes before the swap) writes to the same logfile:
  // only the lines of the neutralize process count, known by the pid of its first line
  // ("Starting <db> database neutralization", logger odoo.cli.neutralize).
  let pid: number | null = null;
  let ours = false;
  const follower = await followLogFile(instance.logfile, (line) => {
    if (isHeaderLine(line)) {
      const entry = parseLogEntry(0, line, []);
      if (pid === null && entry.logger === 'odoo.cli.neutralize') pid = entry.pid;
      ours = pid !== null && entry.pid === pid;
      if (ours && (entry.level === 'ERROR' || entry.level === 'CRITICAL')) {
        errors.push(`${entry.logger ?? ''}: ${entry.message}`);
      }
    }
    if (ours) context.log(line);
  });
  let result;
  try {
    result = await context.run(
      python,
      [odooBin, 'neutralize', '-c', instance.confPath, '-d', database],
      { cwd: instance.dir, env: childEnvironment(deps.env, { PYTHONUNBUFFERED: '1' }) },
    );
  } finally {
    await follower.stop();
  }
  if (result.code !== 0) {
    const detail =
      errors.slice(-2).join(' | ') || result.stderrTail.slice(-3).join(' | ') || 'no message';
    throw new JobFailure(
      'neutralize_failed',
      `Neutralizing ${database} failed (exit ${result.code ?? result.signal}): ${detail}`,
    );
  }
}
