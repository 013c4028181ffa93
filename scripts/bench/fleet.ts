// Fleet benchmark (issue 6): one metrics poller against N agents serving the real metrics
// contract, then the real agent's metrics endpoint under load. Bounded: about `--seconds` per N.
//
//   node scripts/bench/run.mjs scripts/bench/fleet.ts [--sizes 100,500,1000] [--seconds 30]
//        [--interval 5000]
//
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth), like the tests; it creates and
// drops `ordo_bench_*` databases. Never part of the test suite.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import autocannon from 'autocannon';
import { createAgentApp, createLogger, loadAgentConfig, startAgent } from '../../apps/agent/src';
import { createSecretBox, previewSecret } from '../../apps/control/src/crypto/secret-box';
import { openDatabase } from '../../apps/control/src/db/database';
import { migrateToLatest } from '../../apps/control/src/db/migrate';
import { startDownsampler, startMetricsPoller } from '../../apps/control/src/features/metrics';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const GOAL_CPU_CORES = 1;
const GOAL_AGENT_P99_MS = 10;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** utime + stime of a process in seconds, from /proc/<pid>/stat. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---- the child: the control plane's metrics poller and downsampler, as startControl runs them.
function runPoller(): void {
  const database = openDatabase(process.env.BENCH_DB_URL ?? '');
  const latencies: number[] = [];
  let failures = 0;
  const poller = startMetricsPoller(
    {
      db: database.db,
      logger: createLogger('warn'),
      secretBox: createSecretBox(Buffer.from(process.env.BENCH_KEY ?? '', 'hex')),
    },
    {
      intervalMs: Number(process.env.BENCH_INTERVAL),
      onPoll: ({ ms, ok }) => {
        if (ok) latencies.push(ms);
        else failures += 1;
      },
    },
  );
  const downsampler = startDownsampler(database.db, () => undefined);
  process.on('message', (message) => {
    if (message === 'reset') {
      latencies.length = 0;
      failures = 0;
    } else if (message === 'report') {
      process.send?.({ latencies, failures }, () => {
        void poller
          .stop()
          .then(() => downsampler.stop())
          .then(() => database.close())
          .then(() => process.exit(0));
      });
    }
  });
  process.send?.('ready');
}

// ---- the parent: agents, database, measurements.
async function adminSql(statement: string): Promise<void> {
  const database = openDatabase(ADMIN_URL);
  try {
    const { sql } = await import('kysely');
    await sql.raw(statement).execute(database.db);
  } finally {
    await database.close();
  }
}

/** N loopback ports served by one real agent app whose sampler is a fixed sample. */
async function startStubAgents(count: number, root: string, token: string): Promise<Server[]> {
  const app = createAgentApp({
    config: loadAgentConfig({ ORDO_AGENT_ROOT: root, ORDO_AGENT_TOKEN: token }),
    logger: createLogger('silent'),
    startedAt: new Date(),
    metrics: {
      latest: () => ({
        collectedAt: new Date().toISOString(),
        server: {
          cpuPercent: 10,
          cores: 2,
          memoryUsedBytes: 1e9,
          memoryTotalBytes: 4e9,
          diskUsedBytes: 1e10,
          diskTotalBytes: 5e10,
          load: [0.1, 0.2, 0.3],
          uptimeSeconds: 100,
          networkRxBytes: 1,
          networkTxBytes: 2,
        },
        instances: [],
      }),
    },
  });
  const listener = getRequestListener(app.fetch);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer((request, response) => void listener(request, response));
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
}

function portOf(server: Server): number {
  const address = server.address();
  return address !== null && typeof address === 'object' ? address.port : 0;
}

interface Round {
  n: number;
  cpuPercent: number;
  p50: number;
  p99: number;
  failures: number;
  staleP50: number;
  staleP99: number;
  staleMax: number;
}

async function benchFleet(n: number, seconds: number, intervalMs: number): Promise<Round> {
  const name = `ordo_bench_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  await adminSql(`CREATE DATABASE ${name}`);
  const root = await mkdtemp(join(tmpdir(), 'ordo-bench-'));
  const token = randomBytes(32).toString('hex');
  const key = randomBytes(32);
  const servers = await startStubAgents(n, root, token);
  const database = openDatabase(url);
  let child: ChildProcess | undefined;
  try {
    await migrateToLatest(database.db);
    const box = createSecretBox(key);
    const ciphertext = box.encrypt(token);
    await database.db
      .insertInto('servers')
      .values(
        servers.map((server, index) => ({
          name: `agent-${index}`,
          agent_url: `http://127.0.0.1:${portOf(server)}`,
          token_ciphertext: ciphertext,
          token_preview: previewSecret(token),
        })),
      )
      .execute();

    const poller = spawn(process.execPath, [process.argv[1] ?? '', '--poller'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        BENCH_DB_URL: url,
        BENCH_KEY: key.toString('hex'),
        BENCH_INTERVAL: String(intervalMs),
      },
    });
    child = poller;
    const pid = poller.pid ?? 0;
    await new Promise<void>((resolve) => poller.once('message', () => resolve()));
    // Warm up: leases taken, connections open, the first rounds done.
    await sleep(intervalMs * 2);
    poller.send('reset');
    const startCpu = await cpuSeconds(pid);
    const started = performance.now();
    const staleness: number[] = [];
    while (performance.now() - started < seconds * 1000) {
      await sleep(1000);
      const rows = await database.db
        .selectFrom('servers')
        .leftJoin('metric_samples', 'metric_samples.server_id', 'servers.id')
        .select(['servers.id', (eb) => eb.fn.max('metric_samples.collected_at').as('last')])
        .groupBy('servers.id')
        .execute();
      const now = Date.now();
      for (const row of rows) {
        staleness.push(row.last === null ? Infinity : now - new Date(row.last).getTime());
      }
    }
    const cpu = await cpuSeconds(pid);
    const elapsed = (performance.now() - started) / 1000;
    const report = await new Promise<{ latencies: number[]; failures: number }>((resolve) => {
      poller.once('message', (message) =>
        resolve(message as { latencies: number[]; failures: number }),
      );
      poller.send('report');
    });
    await new Promise((resolve) => poller.once('exit', resolve));
    return {
      n,
      cpuPercent: ((cpu - startCpu) / elapsed) * 100,
      p50: percentile(report.latencies, 50),
      p99: percentile(report.latencies, 99),
      failures: report.failures,
      staleP50: percentile(staleness, 50),
      staleP99: percentile(staleness, 99),
      staleMax: Math.max(...staleness),
    };
  } finally {
    if (child !== undefined && child.exitCode === null) child.kill();
    await database.close();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    await adminSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(root, { recursive: true, force: true });
  }
}

// ---- a child: the real agent (real sampler), apart from the load generator's event loop.
function runAgent(): void {
  const token = process.env.BENCH_TOKEN ?? '';
  void startAgent(
    loadAgentConfig({
      ORDO_AGENT_HOST: '127.0.0.1',
      ORDO_AGENT_PORT: '0',
      ORDO_AGENT_ROOT: process.env.BENCH_ROOT ?? '',
      ORDO_AGENT_TOKEN: token,
      ORDO_AGENT_LOG_LEVEL: 'warn',
    }),
  ).then((agent) => {
    process.on('message', () => void agent.close().then(() => process.exit(0)));
    process.send?.(agent.url);
  });
}

/** The real agent under 200 requests/s on GET /v1/metrics, measured from another process. */
async function benchAgentEndpoint(seconds: number) {
  const root = await mkdtemp(join(tmpdir(), 'ordo-bench-agent-'));
  const token = randomBytes(32).toString('hex');
  const agent = spawn(process.execPath, [process.argv[1] ?? '', '--agent'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_ROOT: root, BENCH_TOKEN: token },
  });
  try {
    const url = await new Promise<string>((resolve) =>
      agent.once('message', (message) => resolve(typeof message === 'string' ? message : '')),
    );
    const load = (duration: number) =>
      autocannon({
        url: `${url}/v1/metrics`,
        headers: { authorization: `Bearer ${token}` },
        connections: 10,
        overallRate: 200,
        duration,
      });
    // Warm-up (JIT, connections), not measured.
    await load(2);
    const result = await load(seconds);
    return {
      requests: result.requests.total,
      non2xx: result.non2xx,
      p50: result.latency.p50,
      p99: result.latency.p99,
    };
  } finally {
    agent.send('stop');
    await new Promise((resolve) => agent.once('exit', resolve));
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = option('sizes', '100,500,1000').split(',').map(Number);
  const seconds = Number(option('seconds', '30'));
  const intervalMs = Number(option('interval', '5000'));
  console.log(`fleet benchmark: interval ${intervalMs} ms, ${seconds} s measured per size`);
  for (const n of sizes) {
    const round = await benchFleet(n, seconds, intervalMs);
    console.log(
      `N=${round.n}: control CPU ${fmt(round.cpuPercent)} % of a core ` +
        `(${fmt(round.cpuPercent / 100 / GOAL_CPU_CORES, 2)} × goal of ${GOAL_CPU_CORES} core); ` +
        `poll latency p50 ${fmt(round.p50)} ms, p99 ${fmt(round.p99)} ms; failures ${round.failures}; ` +
        `staleness p50 ${fmt(round.staleP50 / 1000, 2)} s, p99 ${fmt(round.staleP99 / 1000, 2)} s, ` +
        `max ${fmt(round.staleMax / 1000, 2)} s`,
    );
  }
  const agent = await benchAgentEndpoint(Math.min(seconds, 10));
  console.log(
    `agent GET /v1/metrics at 200 req/s: ${agent.requests} requests (${agent.non2xx} non-2xx), ` +
      `p50 ${agent.p50} ms, p99 ${agent.p99} ms (${fmt(agent.p99 / GOAL_AGENT_P99_MS, 2)} × goal of ` +
      `${GOAL_AGENT_P99_MS} ms)`,
  );
}

if (process.argv.includes('--poller')) {
  runPoller();
} else if (process.argv.includes('--agent')) {
  runAgent();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
