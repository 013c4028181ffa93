import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentBench, finalJob, type AgentBench } from './agent-bench';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill } from './agent-process-support';
import {
  containersUnder,
  DOCKER_SOCKET,
  dockerEngineAvailable,
  removeContainer,
  removeContainersUnder,
  TEST_IMAGE,
} from './docker-support';
import { answersHttp, databaseExists } from './instance-support';

const available = dockerEngineAvailable('the docker runtime agent-restart tests');

let bench: AgentBench | undefined;
let root: string;
const agent = () => {
  if (!bench) throw new Error('no bench');
  return bench.agent();
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe.skipIf(!available)('the agent restarting while containers run', () => {
  beforeAll(async () => {
    bench = await createAgentBench('ordo-docker-restart', {
      env: {
        ORDO_AGENT_RUNTIME: 'docker',
        ORDO_AGENT_DOCKER_SOCKET: DOCKER_SOCKET,
        ORDO_AGENT_DOCKER_IMAGE: TEST_IMAGE,
      },
      beforeClose: removeContainersUnder,
    });
    root = bench.root;
  }, 60_000);

  afterAll(() => bench?.close());

  it('finds its containers again by label: same container, status right, none duplicated', async () => {
    const first = await agent();
    expect((await first.client.info()).runtime).toBe('docker');
    const install = await first.client.installVersion({ version: '17.0', edition: 'community' });
    expect(await finalJob(first.client, install.job.id)).toMatchObject({ state: 'succeeded' });
    const created = await first.client.createInstance({ name: 'dk-restart', version: '17.0' });
    expect(await finalJob(first.client, created.job.id)).toMatchObject({ state: 'succeeded' });
    const running = await first.client.getInstance('dk-restart');
    const port = running.httpPort ?? 0;
    const mainPid = running.processes.find((process) => process.role === 'main')?.pid;
    const [container] = await containersUnder(root);
    expect(container).toMatchObject({ name: 'ordo-dk-restart', state: 'running' });

    // Killed while the container runs: the engine keeps it, the next agent adopts it.
    await kill(first);
    expect(await answersHttp(port)).toBe(200);
    const second = await agent();
    const adopted = await second.client.getInstance('dk-restart');
    expect(adopted.status).toBe('running');
    expect(adopted.processes).toContainEqual(
      expect.objectContaining({ pid: mainPid, role: 'main' }),
    );
    expect(await containersUnder(root)).toEqual([container]);
    expect(second.output()).toContain('adopted the running container of odoo');

    // Its container gone while no agent ran (a host reboot): the next agent makes a new one.
    await kill(second);
    await removeContainer(container?.id ?? '');
    const third = await agent();
    expect((await third.client.getInstance('dk-restart')).status).toBe('running');
    const recreated = await containersUnder(root);
    expect(recreated).toHaveLength(1);
    expect(recreated[0]?.id).not.toBe(container?.id);
    expect(await answersHttp(port)).toBe(200);

    // A stopped instance stays stopped across restarts, and has no container.
    await third.client.stopInstance('dk-restart');
    await kill(third, 'SIGTERM');
    const fourth = await agent();
    expect((await fourth.client.getInstance('dk-restart')).status).toBe('stopped');
    expect(await containersUnder(root)).toEqual([]);

    await fourth.client.deleteInstance('dk-restart');
    expect(await containersUnder(root)).toEqual([]);
    expect(await databaseExists('dk-restart')).toBe(false);
    expect(await exists(join(root, 'instances', 'dk-restart'))).toBe(false);
  }, 90_000);
});
