import { cp } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { filestoreDir } from '../backups/create-backup';
import { streamProcess } from '../backups/stream-process';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { InstanceDeps } from '../instances/instance-deps';
import type { InstanceRecord } from '../instances/instance-record';
import { reason, withPg } from '../postgres/pg-target';
import { pgToolsEnv } from '../postgres/pg-tools-env';
import { createEmptyDatabase, markAsCopy, setParameters } from '../restore/restore-database';
import { neutralizeDatabase } from '../restore/neutralize';

/**
 * Fills a staging instance's database from its production while production keeps running:
 * `pg_dump | psql` streamed (CREATE DATABASE … TEMPLATE would need production disconnected),
 * the filestore copied, then sanitised: neutralized (mail servers and crons off), a new
 * uuid/secret, and `web.base.url` frozen to the staging URL.
 */
export function cloneInto(deps: InstanceDeps, source: InstanceRecord) {
  return (target: InstanceRecord) => async (context: JobContext) => {
    const env = pgToolsEnv(deps.env, deps.pg);
    try {
      context.log(`Copying the database ${source.database} into ${target.database} (live)`);
      await createEmptyDatabase(deps.pg, target.database);
      const dump = streamProcess('pg_dump', ['--no-owner', source.database], {
        env,
        signal: context.signal,
      });
      const load = streamProcess(
        'psql',
        ['-X', '-v', 'ON_ERROR_STOP=1', '-q', '-d', target.database],
        {
          env,
          signal: context.signal,
          stdin: true,
        },
      );
      load.stdout.resume();
      const fed = pipeline(dump.stdout, load.stdin, { signal: context.signal });
      const results = await Promise.allSettled([load.done, dump.done, fed]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      context.progress(0.4);
      context.log('Copying the filestore');
      await cp(
        filestoreDir(deps.root, source.name, source.database),
        filestoreDir(deps.root, target.name, target.database),
        { recursive: true, force: false, errorOnExist: false },
      ).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new JobFailure('clone_failed', `Copying production failed: ${reason(error)}`);
    }
    context.progress(0.55);
    await neutralizeDatabase(deps, target, target.database, context);
    await markAsCopy(deps.pg, target.database);
    const url = target.url ?? `http://${deps.publicHost}:${target.httpPort ?? 0}`;
    await withPg(
      deps.pg,
      (client) =>
        setParameters(client, [
          ['web.base.url', url],
          ['web.base.url.freeze', 'True'],
        ]),
      target.database,
    );
    context.log(`Sanitised: neutralized, new uuid and secret, base URL ${url}`);
  };
}
