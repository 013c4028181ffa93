import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '@ordo/protocol';
import { createAgentBench, finalJob, type AgentBench } from './agent-bench';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill } from './agent-process-support';
import { asSuperuser, databaseChecksum, pythonZip, run, treeHashes } from './backup-support';
import { waitFor } from './job-support';

let bench: AgentBench;
let dir: string;
let root: string;
/** Unique: instance names are database names, and other test files run alongside. */
const NAME = `bp_${Math.random().toString(36).slice(2, 10)}`;
const FILESTORE_BYTES = 1024 ** 3;
const FILE_BYTES = 4 * 1024 * 1024;
const RSS_BOUND = 256 * 1024 * 1024;

const agent = () => bench.agent();

async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

beforeAll(async () => {
  bench = await createAgentBench('ordo-backup-process');
  ({ dir, root } = bench);
}, 120_000);

afterAll(() => bench.close());

describe('backup and restore in a real agent process', () => {
  it('backs up a 1 GB filestore with flat memory; a restore killed mid-way leaves the instance as it was', async () => {
    const first = await agent();
    const install = await first.client.installVersion({ version: '17.0', edition: 'community' });
    expect(await finalJob(first.client, install.job.id)).toMatchObject({ state: 'succeeded' });
    const created = await first.client.createInstance({ name: NAME, version: '17.0' });
    expect(await finalJob(first.client, created.job.id)).toMatchObject({ state: 'succeeded' });
    const { database } = await first.client.getInstance(NAME);
    const filestore = join(root, 'instances', NAME, 'data', 'filestore', database);

    // Incompressible files, like the PDFs and images of a real filestore.
    for (let written = 0, index = 0; written < FILESTORE_BYTES; index++) {
      const data = randomBytes(FILE_BYTES);
      const name = data.subarray(0, 20).toString('hex');
      await mkdir(join(filestore, name.slice(0, 2)), { recursive: true });
      await writeFile(join(filestore, name.slice(0, 2), name), data);
      written += data.length;
    }

    const pid = first.child.pid ?? 0;
    let peak = await rss(pid);
    const backup = await first.client.createBackup(NAME);
    let ended: Job | null = null;
    void finalJob(first.client, backup.job.id).then((job) => (ended = job));
    while (ended === null) {
      peak = Math.max(peak, await rss(pid));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const done = ended as Job;
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const [listed] = (await first.client.listBackups(NAME)).backups;
    expect(listed?.size).toBeGreaterThan(FILESTORE_BYTES);
    expect(peak).toBeLessThan(RSS_BOUND);

    // A restore whose safety backup (of that 1 GB) is under way when the agent is killed.
    const before = { rows: await databaseChecksum(database), files: await treeHashes(filestore) };
    const work = join(dir, 'restore');
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
    await asSuperuser(database, (client) =>
      client.query("UPDATE res_partner SET name = 'Changed after the dump' WHERE id = 1"),
    );
    const changed = await databaseChecksum(database);
    await pythonZip(join(work, 'small.zip'), [{ name: 'dump.sql', file: join(work, 'dump.sql') }]);
    const restore = await first.client.restoreInstance(
      NAME,
      await readFile(join(work, 'small.zip')),
      { query: { safetyBackup: 'true' } },
    );
    const log = join(root, 'jobs', `${restore.job.id}.log`);
    await waitFor(
      async () => (await readFile(log, 'utf8')).includes('Taking a safety backup'),
      'the restore to take its safety backup',
      120_000,
    );
    await kill(first);

    const second = await agent();
    expect(await second.client.getJob(restore.job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'agent_restarted' },
    });
    expect(await databaseChecksum(database)).toBe(changed);
    expect(changed).not.toBe(before.rows);
    expect(await treeHashes(filestore)).toEqual(before.files);
    const leftovers = await asSuperuser('postgres', (client) =>
      client.query('SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2', [
        `${database}%`,
        database,
      ]),
    );
    expect(leftovers.rows).toEqual([]);
    const parent = join(root, 'instances', NAME, 'data', 'filestore');
    const { stdout } = await run('ls', ['-A', parent]);
    expect(stdout.trim().split('\n')).toEqual([database]);
    await waitFor(
      async () => (await second.client.getInstance(NAME)).status === 'running',
      'the instance to run again',
      60_000,
    );
    expect(await stat(join(root, 'restores', `${NAME}.json`)).catch(() => null)).toBeNull();
  }, 600_000);
});
