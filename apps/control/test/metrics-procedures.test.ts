import type { FleetSample } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRawSamples } from '../src/db/repositories/metric-samples.repository';
import { downsampleMetrics } from '../src/features/metrics';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { stubSnapshot } from './helpers/metrics-agent';
import { startTestControl, type TestControl } from './helpers/test-control';

const instance = {
  name: 'demo',
  httpUp: true,
  dbConnectionsActive: 2,
  dbConnectionsIdle: 5,
  errorsPerHour: [],
  memoryBytes: 3e8,
  workers: 2,
  blockedLocks: 0,
  deadlocks: 1,
  databaseSizeBytes: 1e7,
  filestoreSizeBytes: 1e6,
};

describe('metrics procedures', () => {
  let control: TestControl;
  let serverId: string;

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    const row = await control.deps.db
      .insertInto('servers')
      .values({
        name: 'alpha',
        agent_url: 'http://127.0.0.1:1',
        token_ciphertext: control.deps.secretBox.encrypt('t'.repeat(64)),
        token_preview: 'tttt',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    serverId = row.id;
  });
  afterAll(() => control.close());

  const sample = (at: Date, cpuPercent: number) => ({
    serverId,
    collectedAt: at.toISOString(),
    server: { ...stubSnapshot().server, cpuPercent },
    instances: [{ ...instance, workers: cpuPercent > 50 ? 4 : 2 }],
  });

  it('answers charts and the fleet overview from stored samples', async () => {
    const now = Date.now();
    await insertRawSamples(control.deps.db, [
      sample(new Date(now - 60_000), 10),
      sample(new Date(now - 30_000), 30),
    ]);
    const { trpc } = await control.signedInClient();
    const points = await trpc.metrics.server.query({ serverId, range: '15m' });
    expect(points.map((point) => point.server.cpuPercent)).toEqual([10, 30]);
    const demo = await trpc.metrics.instance.query({ serverId, name: 'demo' });
    expect(demo.map((point) => point.instance.dbConnectionsIdle)).toEqual([5, 5]);
    const fleet = await trpc.metrics.fleet.query();
    expect(fleet.servers).toHaveLength(1);
    expect(fleet.servers[0]?.server.cpuPercent).toBe(30);
  });

  it('refuses bad input with the reason', async () => {
    const { trpc } = await control.signedInClient();
    await expectTrpcError(trpc.metrics.server.query({ serverId: 'nope' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: /Server id must be a UUID/,
    });
    await expectTrpcError(
      // @ts-expect-error: an unknown range, as a hand-written request could send
      trpc.metrics.server.query({ serverId, range: '2y' }),
      { code: 'BAD_REQUEST', status: 400, message: /Range must be one of 15m, 1h, 6h, 24h, 7d/ },
    );
    await expectTrpcError(
      trpc.metrics.server.query({ serverId: '00000000-0000-4000-8000-000000000000' }),
      { code: 'NOT_FOUND', status: 404, message: 'Server not found: it may have been deleted' },
    );
    await expectTrpcError(trpc.metrics.instance.query({ serverId, name: 'ghost' }), {
      code: 'NOT_FOUND',
      status: 404,
      message: 'No metrics for instance "ghost" on this server',
    });
  });

  it('streams new samples to a live subscription', async () => {
    const { trpc } = await control.signedInClient();
    const received: FleetSample[] = [];
    let feeding: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const subscription = trpc.metrics.live.subscribe(
        { serverId },
        {
          onStarted: () => {
            // Only samples stored after the stream starts are promised: keep storing some.
            feeding = setInterval(() => {
              void insertRawSamples(control.deps.db, [sample(new Date(), 77)]).catch(reject);
            }, 300);
          },
          onData: (data) => {
            clearInterval(feeding);
            received.push(data);
            subscription.unsubscribe();
            resolve();
          },
          onError: (error) => {
            clearInterval(feeding);
            reject(error);
          },
        },
      );
    });
    await done;
    expect(received[0]?.server.cpuPercent).toBe(77);
  });

  it('folds samples older than an hour into minute averages', async () => {
    const minute = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    await insertRawSamples(control.deps.db, [
      sample(new Date(minute + 5_000), 20),
      sample(new Date(minute + 35_000), 60),
    ]);
    expect(await downsampleMetrics(control.deps.db, new Date())).toBeGreaterThanOrEqual(2);
    const { trpc } = await control.signedInClient();
    const points = await trpc.metrics.server.query({ serverId, range: '6h' });
    const folded = points.find((point) => point.at === new Date(minute).toISOString());
    expect(folded?.server.cpuPercent).toBe(40);
    const demo = await trpc.metrics.instance.query({ serverId, name: 'demo', range: '6h' });
    expect(
      demo.find((point) => point.at === new Date(minute).toISOString())?.instance.workers,
    ).toBe(3);
  });
});
