import type { Environment } from '../config';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { followLogFile } from '../odoo/follow-log-file';
import { isHeaderLine, parseLogEntry } from '../odoo/log-entry';
import { odooCommand } from '../runtime/native/spawn-odoo';
import type { RuntimeInstance } from '../runtime/runtime';
import { childEnvironment } from '../system/child-environment';

/**
 * Creates and initialises the database the way Odoo does it itself:
 * `odoo-bin -c odoo.conf -d <db> -i base --stop-after-init --without-demo=all --no-http`. Odoo
 * writes to its logfile, which is followed into the job log while it runs. `--no-http`: with
 * `workers` > 0, odoo/service/server.py PreforkServer.run() binds http_port even with
 * --stop-after-init (see repos/update-modules.ts).
 */
export async function initDatabase(input: {
  context: JobContext;
  instance: RuntimeInstance;
  database: string;
  env: Environment;
}): Promise<void> {
  const { context, instance } = input;
  const { python, odooBin } = odooCommand(instance);
  const seen: string[] = [];
  const remember = (line: string) => {
    seen.push(line);
    if (seen.length > 50) seen.shift();
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
        '-i',
        'base',
        '--stop-after-init',
        '--without-demo=all',
        '--no-http',
      ],
      {
        cwd: instance.dir,
        env: childEnvironment(input.env, { PYTHONUNBUFFERED: '1' }),
        onLine: remember,
      },
    );
  } finally {
    await follower.stop();
  }
  if (result.code === 0) return;

  throw new JobFailure(
    'odoo_init_failed',
    `Odoo could not initialise the database "${input.database}" ` +
      `(exit ${result.code ?? result.signal}): ${summarise(seen)}`,
  );
}

/**
 * The last ERROR/CRITICAL records (logger and message) and the exception that ended the last
 * traceback after them; the last lines when Odoo logged no error.
 */
function summarise(lines: readonly string[]): string {
  const errors = lines.flatMap((line, index) => (isErrorRecord(line) ? [index] : []));
  const last = errors.at(-1);
  if (last === undefined) return lines.slice(-5).join(' | ') || 'no output';
  const parts = errors.slice(-2).map((index) => {
    const entry = parseLogEntry(0, lines[index] ?? '', []);
    return `${entry.logger ?? ''}: ${entry.message}`;
  });
  const exception = lines
    .slice(last + 1)
    .filter((line) => !isHeaderLine(line))
    .at(-1);
  if (exception !== undefined) parts.push(exception.trim());
  return parts.join(' | ');
}

function isErrorRecord(line: string): boolean {
  if (!isHeaderLine(line)) return false;
  const { level } = parseLogEntry(0, line, []);
  return level === 'ERROR' || level === 'CRITICAL';
}
