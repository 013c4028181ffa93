import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { InstanceDeps } from '../instances/instance-deps';
import { runtimeInstance } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { odooCommand } from '../runtime/native/spawn-odoo';
import { childEnvironment } from '../system/child-environment';

/** Odoo's own `odoo-bin neutralize`, which runs every installed module's neutralize.sql. */
export async function neutralizeDatabase(
  deps: Pick<InstanceDeps, 'root' | 'env'>,
  record: InstanceRecord,
  database: string,
  context: JobContext,
): Promise<void> {
  context.log(`Neutralizing the database ${database}`);
  const instance = runtimeInstance(deps.root, record);
  const { python, odooBin } = odooCommand(instance);
  const result = await context.run(
    python,
    [odooBin, 'neutralize', '-c', instance.confPath, '-d', database],
    { cwd: instance.dir, env: childEnvironment(deps.env) },
  );
  if (result.code !== 0) {
    throw new JobFailure(
      'neutralize_failed',
      `Neutralizing failed (exit ${result.code ?? result.signal}): ${result.stderrTail.slice(-3).join(' | ')}`,
    );
  }
}
