import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentErrorBody, Job, JobAccepted, JobKind, JobList } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { createAgentApp } from '../src';
import { createAgentJobRunner } from '../src/agent-jobs';
import { JobFailure } from '../src/jobs/job-failure';
import { newJobId } from '../src/jobs/job-id';
import type { JobHandler, JobRunner } from '../src/jobs/job-runner';
import { captureLogger, testConfig, useTempDir } from './helpers';
import { gate, waitFor } from './job-support';

async function jobsApp(root?: string) {
  const dir = root ?? (await useTempDir());
  const config = testConfig(dir);
  const log = captureLogger();
  const runner = createAgentJobRunner({ root: dir, logger: log.logger });
  await runner.recoverInterruptedJobs();
  const app = createAgentApp({ config, logger: log.logger, startedAt: new Date(), jobs: runner });
  const auth = { authorization: `Bearer ${config.token}` };
  const get = async (path: string) => app.request(path, { headers: auth });
  const post = async (path: string) => app.request(path, { method: 'POST', headers: auth });
  return { app, runner, root: dir, log, get, post };
}

function start(
  runner: JobRunner,
  handler: JobHandler,
  target = 'x',
  kind: JobKind = 'version.install',
) {
  return runner.enqueue({
    kind,
    target,
    conflictMessage: (running) => `busy with ${running.id}`,
    handler,
  });
}

async function ended(runner: JobRunner, id: string): Promise<Job> {
  return waitFor(async () => {
    const job = await runner.get(id);
    return job && !runner.isActive(id) ? job : undefined;
  }, `job ${id} to end`);
}

async function errorOf(response: Response) {
  return AgentErrorBody.parse(await response.json()).error;
}

describe('jobs', () => {
  it('runs a job pending → running → succeeded, with progress, log and timestamps on disk', async () => {
    const { runner, root, get } = await jobsApp();
    const proceed = gate();
    const pending = await start(runner, async (context) => {
      context.log('first line');
      context.progress(0.5);
      await proceed.wait;
      context.log('second line');
    });
    expect(pending).toMatchObject({ state: 'pending', progress: null, startedAt: null });
    expect(pending.id).toMatch(/^j_[0-9a-z]{9}_[0-9a-z]{10}$/);

    const running = await waitFor(async () => {
      const job = Job.parse(await (await get(`/v1/jobs/${pending.id}`)).json());
      return job.progress === 0.5 ? job : undefined;
    }, 'progress');
    expect(running.state).toBe('running');
    expect(running.startedAt).not.toBeNull();

    proceed.open();
    const done = await ended(runner, pending.id);
    expect(done).toMatchObject({ state: 'succeeded', progress: 1, error: null });
    expect(Date.parse(done.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.startedAt ?? ''));

    const onDisk = Job.parse(
      JSON.parse(await readFile(join(root, 'jobs', `${done.id}.json`), 'utf8')),
    );
    expect(onDisk).toEqual(done);
    expect(await readFile(join(root, 'jobs', `${done.id}.log`), 'utf8')).toBe(
      'first line\nsecond line\nSucceeded\n',
    );
  });

  it('fails a job with the code and message of a JobFailure, and "internal" for anything else', async () => {
    const { runner } = await jobsApp();
    const failed = await start(runner, () => {
      throw new JobFailure('git_clone_failed', 'git could not clone');
    });
    expect(await ended(runner, failed.id)).toMatchObject({
      state: 'failed',
      error: { code: 'git_clone_failed', message: 'git could not clone' },
    });
    const crashed = await start(runner, () => Promise.reject(new Error('disk on fire')), 'y');
    expect(await ended(runner, crashed.id)).toMatchObject({
      state: 'failed',
      error: { code: 'internal', message: 'The job failed unexpectedly: disk on fire' },
    });
  });

  it('refuses a second job of the same kind and target while one runs, and allows it after', async () => {
    const { runner } = await jobsApp();
    const proceed = gate();
    const first = await start(runner, () => proceed.wait, '17.0');
    await expect(start(runner, () => Promise.resolve(), '17.0')).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      message: `busy with ${first.id}`,
    });
    const other = await start(runner, () => Promise.resolve(), '18.0');
    expect(other.state).toBe('pending');

    proceed.open();
    await ended(runner, first.id);
    const again = await start(runner, () => Promise.resolve(), '17.0');
    expect((await ended(runner, again.id)).state).toBe('succeeded');
  });

  it('cancels a running job through its signal and refuses to cancel a finished one', async () => {
    const { runner, post } = await jobsApp();
    const job = await start(
      runner,
      (context) =>
        new Promise<void>((_resolve, reject) => {
          context.log('waiting to be cancelled');
          context.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    await waitFor(async () => (await runner.get(job.id))?.state === 'running', 'running');

    const res = await post(`/v1/jobs/${job.id}/cancel`);
    expect(res.status).toBe(202);
    expect(JobAccepted.parse(await res.json()).job.id).toBe(job.id);
    expect(await ended(runner, job.id)).toMatchObject({
      state: 'cancelled',
      error: { code: 'cancelled', message: 'Cancelled on request' },
    });

    const again = await post(`/v1/jobs/${job.id}/cancel`);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({
      code: 'conflict',
      message: `Job ${job.id} already ended (cancelled)`,
    });
  });

  it('lists jobs newest first with filters', async () => {
    const { runner, get } = await jobsApp();
    const ok = await start(runner, () => Promise.resolve(), '16.0');
    await ended(runner, ok.id);
    const bad = await start(runner, () => Promise.reject(new JobFailure('x', 'no')), '17.0');
    await ended(runner, bad.id);

    const all = JobList.parse(await (await get('/v1/jobs')).json()).jobs;
    expect(all.map((job) => job.id)).toEqual([bad.id, ok.id]);
    const failed = JobList.parse(await (await get('/v1/jobs?state=failed')).json()).jobs;
    expect(failed.map((job) => job.id)).toEqual([bad.id]);
    const byTarget = JobList.parse(
      await (await get('/v1/jobs?kind=version.install&target=16.0')).json(),
    ).jobs;
    expect(byTarget.map((job) => job.id)).toEqual([ok.id]);
    const limited = JobList.parse(await (await get('/v1/jobs?limit=1')).json()).jobs;
    expect(limited.map((job) => job.id)).toEqual([bad.id]);
  });

  it.each([
    ['/v1/jobs?limit=abc', 'limit: must be a whole number from 1 to 500'],
    ['/v1/jobs?limit=0', 'limit: must be a whole number from 1 to 500'],
    ['/v1/jobs?state=done', 'state: must be one of pending, running, succeeded, failed, cancelled'],
    ['/v1/jobs?kind=rm', `kind: must be one of ${JobKind.options.join(', ')}`],
  ])('answers 400 for %s', async (path, message) => {
    const { get } = await jobsApp();
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'bad_request', message });
  });

  it('answers 404 naming an unknown job id, and 400 for ids that are not job ids', async () => {
    const { get, post } = await jobsApp();
    const id = newJobId(new Date());
    for (const res of [await get(`/v1/jobs/${id}`), await post(`/v1/jobs/${id}/cancel`)]) {
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toMatchObject({ code: 'not_found', message: `No job ${id}` });
    }
    for (const path of ['/v1/jobs/..%2f..%2fetc%2fpasswd', '/v1/jobs/..%2fx/log', '/v1/jobs/J_1']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(await errorOf(res)).toMatchObject({
        code: 'bad_request',
        message: 'id: Job id must look like j_0m8k2q3x1_4f9a0b2c7d',
      });
    }
  });

  it('reads job records back from disk after a restart', async () => {
    const first = await jobsApp();
    const job = await start(first.runner, (context) => {
      context.log('done before the restart');
      return Promise.resolve();
    });
    const finished = await ended(first.runner, job.id);

    const second = await jobsApp(first.root);
    const res = await second.get(`/v1/jobs/${job.id}`);
    expect(res.status).toBe(200);
    expect(Job.parse(await res.json())).toEqual(finished);
    expect(JobList.parse(await (await second.get('/v1/jobs')).json()).jobs).toEqual([finished]);
  });

  it('fails jobs a previous agent left running, logs why and runs the cleanup of their kind', async () => {
    const root = await useTempDir();
    const id = newJobId(new Date());
    const leftover: Job = {
      id,
      kind: 'version.install',
      state: 'running',
      progress: 0.3,
      target: '17.0',
      createdAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
      requestedBy: null,
    };
    await mkdir(join(root, 'jobs'), { recursive: true });
    await writeFile(join(root, 'jobs', `${id}.json`), JSON.stringify(leftover));
    await writeFile(join(root, 'jobs', `${id}.log`), 'Cloning\n');
    await writeFile(join(root, 'jobs', `${id}.json.abc.tmp`), '{"half');
    const partial = join(root, 'versions', '.17.0.partial');
    await mkdir(join(partial, 'odoo'), { recursive: true });

    const { get } = await jobsApp(root);
    const job = Job.parse(await (await get(`/v1/jobs/${id}`)).json());
    expect(job).toMatchObject({
      state: 'failed',
      error: {
        code: 'agent_restarted',
        message: 'The agent restarted while this job was running',
      },
    });
    expect(job.endedAt).not.toBeNull();
    expect(await readFile(join(root, 'jobs', `${id}.log`), 'utf8')).toBe(
      'Cloning\nFailed: The agent restarted while this job was running\n',
    );
    await expect(stat(partial)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(root, 'jobs', `${id}.json.abc.tmp`))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
