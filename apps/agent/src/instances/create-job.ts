import { chmod, mkdir, stat } from 'node:fs/promises';
import type { Edition } from '@ordo/protocol';
import { join } from 'node:path';
import { ensureConnectAddonQuietly } from '../connect-as/connect-addon';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { formatIni } from '../odoo/conf-file';
import { newOdooConf } from '../odoo/odoo-conf';
import { hashOdooPassword } from '../odoo/password-hash';
import { databaseExists, setAdminCredentials } from '../postgres/databases';
import { reason } from '../postgres/pg-target';
import { RuntimeError } from '../runtime/runtime';
import { ProcessStartError } from '../system/run-process';
import { writeFileAtomic } from '../system/write-file-atomic';
import { initDatabase } from './init-database';
import type { InstanceDeps } from './instance-deps';
import { instancePaths, runtimeInstance } from './instance-paths';
import type { InstanceRecord } from './instance-record';
import { writeInstanceRecord } from './instance-store';
import { undoCreate } from './undo-create';
import { healthUrl, OdooStartError, waitForOdoo } from './wait-for-odoo';

export interface CreatePlan {
  /** The record as claimed: phase `provisioning`, ports reserved. */
  record: InstanceRecord;
  masterPassword: string;
  adminPassword: string;
  /**
   * Fills the new database instead of `odoo-bin -i base` (a clone copies production's);
   * it must create the database itself.
   */
  populate?: (context: JobContext) => Promise<void>;
}

/**
 * The `instance.create` job: odoo.conf, the database through Odoo itself, the admin's
 * credentials, then start and wait until Odoo answers. Any failure or cancel undoes everything
 * (process, database, directory and with it the port reservation): the instance never existed.
 */
export async function runCreateJob(
  deps: InstanceDeps,
  plan: CreatePlan,
  context: JobContext,
): Promise<void> {
  const { record } = plan;
  const paths = instancePaths(deps.root, record.name);
  const instance = runtimeInstance(deps.root, record);
  let databaseIsOurs = false;
  try {
    context.log(
      `Creating instance ${record.name}: Odoo ${record.version} ${record.edition}, ${record.type}` +
        (record.parent === null ? '' : ` of ${record.parent}`),
    );
    context.log(`Ports: HTTP ${record.httpPort ?? '?'}, gevent ${record.geventPort ?? '?'}`);
    context.progress(0.05);

    context.log('Writing odoo.conf');
    await mkdir(paths.addons, { recursive: true });
    await mkdir(paths.data, { recursive: true, mode: 0o750 });
    const conf = newOdooConf({
      version: record.version,
      database: record.database,
      addonsPaths: await ordoAddonsPaths(instance.versionDir, paths.addons, record.edition),
      dataDir: paths.data,
      logfile: paths.logfile,
      adminPasswdHash: await hashOdooPassword(plan.masterPassword),
      pg: deps.pg,
      httpInterface: deps.instanceHost,
      httpPort: record.httpPort ?? 0,
      geventPort: record.geventPort ?? 0,
    });
    await writeFileAtomic(paths.conf, formatIni(conf));
    await chmod(paths.conf, 0o640);
    // Ordo's login module ("Connect as"), loaded server-wide: nothing installed in the database.
    await ensureConnectAddonQuietly(deps, record.name);
    context.progress(0.1);

    if (await databaseExists(deps.pg, record.database)) {
      throw new JobFailure(
        'database_exists',
        `A database named "${record.database}" appeared in PostgreSQL meanwhile; it is left alone`,
      );
    }
    databaseIsOurs = true;
    if (plan.populate) await plan.populate(context);
    else {
      context.log(`Initialising the database ${record.database} with Odoo (base, no demo data)`);
      await initDatabase({ context, instance, database: record.database, env: deps.env });
    }
    context.progress(0.7);

    context.log(`Setting the login and password of the Odoo administrator (${record.adminLogin})`);
    const adminHash = await hashOdooPassword(plan.adminPassword);
    await setAdminCredentials(deps.pg, record.database, record.adminLogin, adminHash).catch(
      (error: unknown) => {
        throw new JobFailure('admin_user_failed', `Cannot set the administrator: ${reason(error)}`);
      },
    );
    context.progress(0.8);
    context.signal.throwIfAborted();

    context.log('Starting Odoo');
    await writeInstanceRecord(deps.root, { ...record, desiredState: 'running' });
    await deps.runtime.start(instance);
    const url = healthUrl(deps.instanceHost, record);
    context.log(`Waiting for Odoo to answer on ${url}`);
    await waitForOdoo({
      runtime: deps.runtime,
      instance,
      url,
      timeoutMs: deps.healthTimeoutMs,
      signal: context.signal,
    });
    await writeInstanceRecord(deps.root, { ...record, desiredState: 'running', phase: 'ready' });
    context.progress(1);
    context.log(`Instance ${record.name} is running: ${record.url ?? url}`);
  } catch (error) {
    context.log('Removing what this job created');
    await undoCreate(deps, record.name, { keepDatabase: !databaseIsOurs }).catch(
      (undoError: unknown) => context.log(`Cleanup incomplete: ${reason(undoError)}`),
    );
    throw asJobFailure(error);
  }
}

function asJobFailure(error: unknown): unknown {
  if (error instanceof RuntimeError) {
    return new JobFailure(error.code ?? 'odoo_start_failed', error.message);
  }
  if (error instanceof OdooStartError) return new JobFailure('odoo_start_failed', error.message);
  if (error instanceof ProcessStartError) {
    return new JobFailure('missing_program', `${error.message}: reinstall this Odoo version`);
  }
  return error;
}

/**
 * Ordo's addons directories: for an Enterprise instance the version's Enterprise modules (first,
 * so they override Community modules of the same name), the checkout's `addons/`, `odoo/addons`
 * (where base lives) when it exists, then the instance's own `addons/`. A Community instance on
 * an upgraded version stays Community: it does not get the Enterprise modules.
 */
async function ordoAddonsPaths(
  versionDir: string,
  instanceAddons: string,
  edition: Edition,
): Promise<string[]> {
  const candidates = [
    ...(edition === 'enterprise' ? [join(versionDir, 'enterprise')] : []),
    join(versionDir, 'odoo', 'addons'),
    join(versionDir, 'odoo', 'odoo', 'addons'),
  ];
  const present = await Promise.all(
    candidates.map((path) =>
      stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      ),
    ),
  );
  return [...candidates.filter((_path, index) => present[index]), instanceAddons];
}
