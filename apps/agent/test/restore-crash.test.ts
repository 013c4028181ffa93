import { request } from 'node:http';
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentBench, finalJob, type AgentBench } from './agent-bench';
import { kill, type AgentProcess } from './agent-process-support';
import { asSuperuser, databaseChecksum, pythonZip, run, treeHashes } from './backup-support';
import { newToken } from './helpers';
import { waitFor } from './job-support';

let bench: AgentBench;
let root: string;
let dir: string;
let agent: AgentProcess;
let database: string;
let filestore: string;
const TOKEN = newToken();
/** Unique: instance names are database names, and other test files run alongside. */
const NAME = `rc_${Math.random().toString(36).slice(2, 10)}`;

async function snapshot() {
  const instance = await agent.client.getInstance(NAME);
  return {
    rows: await databaseChecksum(database),
    files: await treeHashes(filestore),
    status: instance.status,
  };
}

/** The URL the agent printed when it started listening. */
function agentUrl(started: AgentProcess): string {
  const line = started
    .output()
    .split('\n')
    .find((text) => text.includes('"url"'));
  const entry: unknown = JSON.parse(line ?? '{}');
  if (typeof entry !== 'object' || entry === null || !('url' in entry)) {
    throw new Error('the agent printed no URL');
  }
  return String(entry.url);
}

async function uploadFiles(): Promise<string[]> {
  return readdir(join(root, 'uploads')).catch(() => []);
}

beforeAll(async () => {
  bench = await createAgentBench('ordo-restore-crash', { env: { ORDO_AGENT_TOKEN: TOKEN } });
  ({ root, dir } = bench);
  agent = await bench.agent();
  const install = await agent.client.installVersion({ version: '17.0', edition: 'community' });
  expect(await finalJob(agent.client, install.job.id)).toMatchObject({ state: 'succeeded' });
  const created = await agent.client.createInstance({ name: NAME, version: '17.0' });
  const creation = await finalJob(agent.client, created.job.id);
  expect(creation.state, JSON.stringify(creation.error)).toBe('succeeded');
  ({ database } = await agent.client.getInstance(NAME));
  filestore = join(root, 'instances', NAME, 'data', 'filestore', database);
  await mkdir(join(filestore, 'ab'), { recursive: true });
  await writeFile(join(filestore, 'ab', 'abcdef'), 'an attachment of the original data');
}, 240_000);

afterAll(() => bench.close());

describe('restore interrupted by the client or by a crash', () => {
  it('an upload the client aborts mid-body leaves no partial file, no job and the instance untouched', async () => {
    const before = await snapshot();
    const url = new URL(`/v1/instances/${NAME}/restore`, agentUrl(agent));
    const upload = request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/zip',
        'content-length': String(64 * 1024 * 1024),
      },
    });
    const answered = new Promise<string>((resolve) => {
      upload.on('error', (error) => resolve(`error: ${error.message}`));
      upload.on('response', (response) => resolve(`status ${response.statusCode}`));
    });
    upload.write(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(1024 * 1024, 7)]));
    // The agent has begun writing the body to disk: the client goes away in the middle.
    await waitFor(async () => (await uploadFiles()).length > 0, 'the upload to reach the disk');
    upload.destroy();
    expect(await answered).toMatch(/^error: /);

    await waitFor(
      async () => (await uploadFiles()).length === 0,
      'the partial upload to be removed',
      30_000,
    );
    const jobs = await agent.client.listJobs();
    expect(jobs.jobs.filter((job) => job.kind === 'backup.restore')).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it('a restore killed during the swap, after the first rename, comes back with the original data, running', async () => {
    const work = join(dir, 'swap');
    await mkdir(work);
    await run('pg_dump', [
      '--no-owner',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-f',
      join(work, 'dump.sql'),
      database,
    ]);
    // The dump ends by waiting until the test holds its lock on the database being restored,
    // so the test takes it before the swap whatever the speed of the load.
    await appendFile(
      join(work, 'dump.sql'),
      `DO $$ BEGIN
        WHILE NOT EXISTS (
          SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.objid
          WHERE l.locktype = 'object' AND l.classid = 'pg_database'::regclass
            AND d.datname = current_database() AND l.mode = 'ShareUpdateExclusiveLock' AND l.granted
        ) LOOP PERFORM pg_sleep(0.05); END LOOP;
      END $$;\n`,
    );
    await pythonZip(join(work, 'backup.zip'), [
      { name: 'dump.sql', file: join(work, 'dump.sql') },
      { name: 'filestore/cd/cdef01', text: 'an attachment of the restored data' },
    ]);
    // The data the instance has when the restore starts, different from the backup's.
    await asSuperuser(database, (client) =>
      client.query("UPDATE res_partner SET name = 'Changed after the backup' WHERE id = 1"),
    );
    const before = await snapshot();
    expect(before.status).toBe('running');

    // A lock on the restored database (COMMENT takes one that conflicts with RENAME's) holds
    // the swap on its second rename, a point the test can see in pg_stat_activity: no hook in
    // the agent, the real statements wait on a real lock.
    const holder = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    // Another session watches: pg_stat_activity stays frozen inside the holder's transaction.
    const watcher = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    await holder.connect();
    await watcher.connect();
    try {
      const restore = await agent.client.restoreInstance(
        NAME,
        await readFile(join(work, 'backup.zip')),
        { query: { safetyBackup: 'false' } },
      );
      const temp = await waitFor(async () => {
        const found = await holder.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname LIKE $1',
          [`${database}_restore_%`],
        );
        return found.rows[0]?.datname;
      }, 'the restore to create its database');
      await holder.query('BEGIN');
      await holder.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(temp)} IS 'held by a test'`);
      const blocked = await waitFor(
        async () => {
          const waiting = await watcher.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER DATABASE % RENAME TO %' AND datname = 'postgres' AND usename <> 'postgres'",
          );
          const moved = await watcher.query('SELECT 1 FROM pg_database WHERE datname LIKE $1', [
            `${database}_old_%`,
          ]);
          return waiting.rows[0] !== undefined && moved.rowCount === 1 && waiting.rows[0].pid;
        },
        'the swap to wait on its second rename',
        120_000,
      );
      const journal = JSON.parse(
        await readFile(join(root, 'restores', `${NAME}.json`), 'utf8'),
      ) as { stage: string };
      expect(journal.stage).toBe('swapping');
      expect(
        (await watcher.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount,
      ).toBe(0);

      await kill(agent);
      // The killed agent's statement would still run once the lock goes: end it first.
      await watcher.query('SELECT pg_terminate_backend($1)', [blocked]);
      await waitFor(
        async () =>
          (await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [blocked]))
            .rowCount === 0,
        'the killed agent’s statement to end',
      );
      await holder.query('ROLLBACK');

      agent = await bench.agent();
      expect(await agent.client.getJob(restore.job.id)).toMatchObject({
        state: 'failed',
        error: { code: 'agent_restarted' },
      });
    } finally {
      await holder.end();
      await watcher.end();
    }
    await waitFor(
      async () => (await agent.client.getInstance(NAME)).status === 'running',
      'the instance to run again',
      60_000,
    );
    expect(await snapshot()).toEqual(before);
    const leftovers = await asSuperuser('postgres', (client) =>
      client.query('SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2', [
        `${database}%`,
        database,
      ]),
    );
    expect(leftovers.rows).toEqual([]);
    const { stdout } = await run('ls', ['-A', join(root, 'instances', NAME, 'data', 'filestore')]);
    expect(stdout.trim().split('\n')).toEqual([database]);
    expect(await stat(join(root, 'restores', `${NAME}.json`)).catch(() => null)).toBeNull();
  }, 300_000);

  it('deleting the instance deletes its backups too', async () => {
    const backup = await agent.client.createBackup(NAME);
    expect(await finalJob(agent.client, backup.job.id)).toMatchObject({ state: 'succeeded' });
    const backups = join(root, 'backups', NAME);
    expect((await readdir(backups)).some((name) => name.endsWith('.zip'))).toBe(true);
    await agent.client.deleteInstance(NAME);
    expect(await stat(backups).catch(() => null)).toBeNull();
    expect(await stat(join(root, 'instances', NAME)).catch(() => null)).toBeNull();
    expect(await agent.client.listInstances()).toMatchObject({ instances: [] });
  }, 120_000);
});
