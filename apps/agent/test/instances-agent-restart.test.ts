import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentBench, finalJob, type AgentBench } from './agent-bench';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill } from './agent-process-support';
import { answersHttp, databaseExists, odooLeaders } from './instance-support';
import { isRunning, waitFor } from './job-support';
import { signalGroup } from '../src/runtime/native/proc';

let bench: AgentBench;
let dir: string;
let root: string;
const agent = () => bench.agent();

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  bench = await createAgentBench('ordo-instances-restart');
  ({ dir, root } = bench);
}, 60_000);

afterAll(() => bench.close());

describe('the agent restarting', () => {
  it('undoes a creation it was killed in the middle of; a retry succeeds; running instances are re-adopted', async () => {
    const first = await agent();
    const install = await first.client.installVersion({ version: '17.0', edition: 'community' });
    expect(await finalJob(first.client, install.job.id)).toMatchObject({ state: 'succeeded' });

    // Odoo that takes its time to start (while a marker file exists): the job waits for it.
    const bin = join(root, 'versions', '17.0', 'venv', 'bin');
    const marker = join(dir, 'slow-start');
    await writeFile(marker, '');
    await rename(join(bin, 'python'), join(bin, 'python.real'));
    await writeFile(
      join(bin, 'python'),
      `#!/bin/sh\ncase " $* " in *" --stop-after-init "*) ;; *) [ -e '${marker}' ] && sleep 30 ;; esac\n` +
        `exec '${join(bin, 'python.real')}' "$@"\n`,
    );
    await chmod(join(bin, 'python'), 0o755);

    const { job } = await first.client.createInstance({ name: 'crm', version: '17.0' });
    const jobLog = join(root, 'jobs', `${job.id}.log`);
    await waitFor(
      async () => (await readFile(jobLog, 'utf8')).includes('Waiting for Odoo to answer'),
      'the job to wait for Odoo',
      30_000,
    );
    const confPath = join(root, 'instances', 'crm', 'odoo.conf');
    const [slowPid] = await odooLeaders(confPath);
    expect(slowPid).toBeDefined();
    await kill(first);

    // Half created: the process, the database and the directory outlive the killed agent.
    expect(await isRunning(slowPid ?? 0)).toBe(true);
    expect(await databaseExists('crm')).toBe(true);
    expect(await exists(confPath)).toBe(true);
    await rm(marker);

    const second = await agent();
    expect(await second.client.getJob(job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'agent_restarted', message: 'The agent restarted while this job was running' },
    });
    expect(await isRunning(slowPid ?? 0)).toBe(false);
    expect(await odooLeaders(confPath)).toEqual([]);
    expect(await databaseExists('crm')).toBe(false);
    expect(await exists(join(root, 'instances', 'crm'))).toBe(false);
    expect((await second.client.listInstances()).instances).toEqual([]);

    const retry = await second.client.createInstance({ name: 'crm', version: '17.0' });
    expect(await finalJob(second.client, retry.job.id)).toMatchObject({ state: 'succeeded' });
    const running = await second.client.getInstance('crm');
    const pid = running.processes.find((process) => process.role === 'main')?.pid;
    expect(running.status).toBe('running');
    expect(await odooLeaders(confPath)).toEqual([pid]);

    // Killed while the instance runs: the next agent adopts the same process.
    await kill(second);
    expect(await isRunning(pid ?? 0)).toBe(true);
    const third = await agent();
    const adopted = await third.client.getInstance('crm');
    expect(adopted.status).toBe('running');
    expect(adopted.processes).toContainEqual(expect.objectContaining({ pid, role: 'main' }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await odooLeaders(confPath)).toEqual([pid]);
    expect(await answersHttp(running.httpPort ?? 0)).toBe(200);

    // An adopted process that dies is restarted (it is not the agent's child: it is polled).
    signalGroup(pid ?? 0, 'SIGKILL');
    const restarted = await waitFor(async () => {
      const [leader] = await odooLeaders(confPath);
      return leader !== undefined && leader !== pid && leader;
    }, 'the crashed instance to be restarted');
    await waitFor(async () => (await answersHttp(running.httpPort ?? 0)) === 200, 'Odoo to answer');
    expect((await third.client.getInstance('crm')).status).toBe('running');

    // An agent starting while an instance that should run does not: it starts it.
    await kill(third);
    signalGroup(restarted, 'SIGKILL');
    await waitFor(async () => (await odooLeaders(confPath)).length === 0, 'Odoo to be gone');
    const fourth = await agent();
    const [again] = await odooLeaders(confPath);
    expect(again).toBeDefined();
    expect(again).not.toBe(restarted);
    expect((await fourth.client.getInstance('crm')).status).toBe('running');

    // A stopped instance stays stopped across restarts.
    await fourth.client.stopInstance('crm');
    await kill(fourth, 'SIGTERM');
    const fifth = await agent();
    expect(await odooLeaders(confPath)).toEqual([]);
    expect((await fifth.client.getInstance('crm')).status).toBe('stopped');
    await fifth.client.deleteInstance('crm');
    expect(await databaseExists('crm')).toBe(false);
  }, 60_000);
});
