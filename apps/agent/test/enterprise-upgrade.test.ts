import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InstanceDetail, JobAccepted, SshPublicKey, VersionList } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { createEnterpriseBareRepo } from '../../../test/fixtures/odoo/make-odoo-repo.mjs';
import { startLocalSshd, type LocalSshd } from '../../../test/fixtures/ssh/local-sshd';
import { createAppBench, type AppBench } from './agent-bench';
import { captureLogger } from './helpers';
import {
  answersHttp,
  authed,
  createInstance,
  expectError,
  jobEnd,
  jobLog,
  type TestApp,
} from './instance-support';

let bench: AppBench | undefined;
let root: string;
let config: AgentConfig;
let app: TestApp;
/** The same agent, pointed at an Enterprise repository that has no 17.0 branch. */
let noBranchApp: TestApp;
let sshd: LocalSshd;
let key: SshPublicKey;

beforeAll(async () => {
  bench = await createAppBench('ordo-enterprise', {
    config: async (dir) => {
      sshd = await startLocalSshd(join(dir, 'sshd'));
      const enterpriseRepo = await createEnterpriseBareRepo(dir, ['17.0']);
      return {
        enterpriseGitUrl: sshd.gitUrl(enterpriseRepo),
        enterpriseSshTestTarget: sshd.target,
        dbPrefix: `e${randomBytes(3).toString('hex')}_`,
      };
    },
  });
  ({ root, config, app } = bench);
  const oldRepo = await createEnterpriseBareRepo(join(bench.dir, 'old'), ['16.0']);
  noBranchApp = createAgentApp({
    config: { ...config, enterpriseGitUrl: sshd.gitUrl(oldRepo) },
    logger: captureLogger().logger,
    startedAt: new Date(),
  });
}, 180_000);

afterAll(async () => {
  // Through the agent first: it stops supervising them and drops their databases.
  for (const name of ['shop', 'ent']) {
    await Promise.resolve(call(`/v1/instances/${name}`, { method: 'DELETE' })).catch(
      () => undefined,
    );
  }
  await sshd.stop();
  await bench?.close();
});

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));

async function upgrade(version: string): Promise<Response> {
  return call(`/v1/versions/${version}/enterprise`, { method: 'POST' });
}

async function edition(version: string): Promise<string | undefined> {
  const list = VersionList.parse(await (await call('/v1/versions')).json());
  return list.versions.find((item) => item.version === version)?.edition;
}

async function detail(name: string): Promise<InstanceDetail> {
  return InstanceDetail.parse(await (await call(`/v1/instances/${name}`)).json());
}

function mainPid(instance: InstanceDetail): number | undefined {
  return instance.processes.find((process) => process.role === 'main')?.pid;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

// One agent through the whole story: refusals, a key GitHub does not know, then the upgrade.
describe.sequential('Upgrade to Enterprise', () => {
  it('refuses a version that is not installed (404), an unknown series (400) and no key (409)', async () => {
    await expectError(
      await upgrade('16.0'),
      404,
      'not_found',
      'Odoo 16.0 is not installed on this server; install its Community edition first',
    );
    await expectError(
      await upgrade('13.0'),
      400,
      'bad_request',
      /^version: Odoo 13\.0 is not supported/,
    );
    await expectError(
      await upgrade('17.0'),
      409,
      'conflict',
      /has no Enterprise SSH key yet: generate one in Settings → Enterprise SSH key/,
    );
    // Enterprise instances need an Enterprise version.
    await expectError(
      await call('/v1/instances', {
        method: 'POST',
        body: JSON.stringify({ name: 'early', version: '17.0', edition: 'enterprise' }),
      }),
      409,
      'conflict',
      /Odoo 17\.0 is installed without Enterprise on this server/,
    );
  });

  it('fails clearly when the key is not accepted, leaving nothing and the version Community', async () => {
    const generated = await call('/v1/ssh-key', { method: 'POST' });
    expect(generated.status).toBe(201);
    key = SshPublicKey.parse(await generated.json());
    await sshd.authorize([]);

    const response = await upgrade('17.0');
    expect(response.status).toBe(202);
    const { job } = JobAccepted.parse(await response.json());
    expect(job).toMatchObject({ kind: 'version.enterprise_upgrade', target: '17.0' });
    const ended = await jobEnd(app, config.token, job.id, 60_000);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('git_clone_failed');
    expect(ended.error?.message).toContain('Permission denied (publickey)');
    expect(ended.error?.message).toContain('git could not clone branch 17.0');

    const versionDir = join(root, 'versions', '17.0');
    expect((await readdir(versionDir)).sort()).toEqual(['odoo', 'venv', 'version.json']);
    expect(await edition('17.0')).toBe('community');
    // The key path travels in GIT_SSH_COMMAND, and the private key never in the log.
    const log = await jobLog(root, job.id);
    expect(log).not.toContain('PRIVATE KEY');
  }, 90_000);

  it('fails clearly when the Enterprise repository has no branch for the version', async () => {
    await sshd.authorize([key.publicKey]);
    const response = await noBranchApp.request(
      '/v1/versions/17.0/enterprise',
      authed(config.token, { method: 'POST' }),
    );
    expect(response.status).toBe(202);
    const { job } = JobAccepted.parse(await response.json());
    const ended = await jobEnd(noBranchApp, config.token, job.id, 60_000);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('git_clone_failed');
    expect(ended.error?.message).toMatch(/Remote branch 17\.0 not found/);
    expect((await readdir(join(root, 'versions', '17.0'))).sort()).toEqual([
      'odoo',
      'venv',
      'version.json',
    ]);
    expect(await edition('17.0')).toBe('community');
  }, 90_000);

  it('clones the Enterprise branch, marks the version Enterprise and restarts its instances with the modules first', async () => {
    const created = await createInstance(app, config.token, { name: 'shop', version: '17.0' });
    const made = await jobEnd(app, config.token, created.job.id, 120_000);
    expect(made.state, await jobLog(root, made.id)).toBe('succeeded');
    const before = await detail('shop');
    expect(before.status).toBe('running');
    expect(before.edition).toBe('community');
    const pidBefore = mainPid(before);
    expect(pidBefore).toBeDefined();

    await sshd.authorize([key.publicKey]);
    const response = await upgrade('17.0');
    expect(response.status).toBe(202);
    const { job } = JobAccepted.parse(await response.json());
    // A second upgrade while this one runs is refused.
    await expectError(await upgrade('17.0'), 409, 'conflict', /already|Enterprise/);
    const ended = await jobEnd(app, config.token, job.id, 120_000);
    const log = await jobLog(root, job.id);
    expect(ended, log).toMatchObject({ state: 'succeeded', progress: 1 });
    expect(log).toContain('Cloning branch 17.0 of ssh://');
    expect(log).toContain('shop: restarting');
    expect(log).toContain('shop: now an Enterprise instance');
    expect(log).toContain('Enterprise modules successfully added');

    const enterprise = join(root, 'versions', '17.0', 'enterprise');
    expect(await exists(join(enterprise, 'web_enterprise', '__manifest__.py'))).toBe(true);
    expect(await exists(`${enterprise}.partial`)).toBe(false);
    expect(await edition('17.0')).toBe('enterprise');
    const record = JSON.parse(
      await readFile(join(root, 'versions', '17.0', 'version.json'), 'utf8'),
    ) as { edition: string; enterprise?: { commit: string | null; jobId: string } };
    expect(record.edition).toBe('enterprise');
    expect(record.enterprise?.jobId).toBe(job.id);
    expect(record.enterprise?.commit).toMatch(/^[0-9a-f]{40}$/);

    // Enterprise first in addons_path, Community after it; Odoo restarted and answering.
    const conf = await readFile(join(root, 'instances', 'shop', 'odoo.conf'), 'utf8');
    const addonsPath = /^addons_path = (.*)$/m.exec(conf)?.[1]?.split(',') ?? [];
    expect(addonsPath[0]).toBe(enterprise);
    expect(addonsPath.slice(1)).toContain(join(root, 'versions', '17.0', 'odoo', 'addons'));
    const after = await detail('shop');
    expect(after.status).toBe('running');
    // It runs the Enterprise modules now, so it is recorded (and listed) as Enterprise.
    expect(after.edition).toBe('enterprise');
    const instanceRecord = JSON.parse(
      await readFile(join(root, 'instances', 'shop', 'instance.json'), 'utf8'),
    ) as { edition: string };
    expect(instanceRecord.edition).toBe('enterprise');
    expect(mainPid(after)).not.toBe(pidBefore);
    expect(await answersHttp(after.httpPort ?? 0)).toBe(200);

    // Now Enterprise instances can be created, with the modules first from the start.
    const ent = await createInstance(app, config.token, {
      name: 'ent',
      version: '17.0',
      edition: 'enterprise',
    });
    const entJob = await jobEnd(app, config.token, ent.job.id, 120_000);
    expect(entJob.state, await jobLog(root, entJob.id)).toBe('succeeded');
    const entConf = await readFile(join(root, 'instances', 'ent', 'odoo.conf'), 'utf8');
    expect(/^addons_path = ([^,\n]*)/m.exec(entConf)?.[1]).toBe(enterprise);

    // A Community instance created on the upgraded version stays Community: no Enterprise path.
    const community = await createInstance(app, config.token, {
      name: 'comm',
      version: '17.0',
      edition: 'community',
    });
    const communityJob = await jobEnd(app, config.token, community.job.id, 120_000);
    expect(communityJob.state, await jobLog(root, communityJob.id)).toBe('succeeded');
    const communityConf = await readFile(join(root, 'instances', 'comm', 'odoo.conf'), 'utf8');
    expect(communityConf).not.toContain(enterprise);

    await expectError(
      await upgrade('17.0'),
      409,
      'conflict',
      'Odoo 17.0 already has the Enterprise modules',
    );
  }, 240_000);
});
