// Shared by scripts/bench/backup.ts and restore.ts: a real agent process on a temp root with one
// instance of the stand-in Odoo, its database filled with text rows and its filestore with
// incompressible files, plus the baselines' plumbing (spawned with argument arrays, no shell).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { createAgentClient, type AgentClient, type Job, type JobLogEvent } from '@ordo/protocol';
import { liveProcesses, readCmdline, signalGroup } from '../../apps/agent/src/runtime/native/proc';

const execFileAsync = promisify(execFile);
const ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
const MB = 1024 * 1024;

export interface BenchSizes {
  dbBytes: number;
  filestoreBytes: number;
  fileBytes: number;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** `--db-mb`, `--filestore-mb`, `--file-kb` (or ORDO_BENCH_DB_MB, …): 400, 400, 100 by default. */
export function benchSizes(): BenchSizes {
  const read = (flag: string, env: string, fallback: number) => {
    const raw = option(flag) ?? process.env[env];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a number`);
    return value;
  };
  return {
    dbBytes: read('db-mb', 'ORDO_BENCH_DB_MB', 400) * MB,
    filestoreBytes: read('filestore-mb', 'ORDO_BENCH_FILESTORE_MB', 400) * MB,
    fileBytes: read('file-kb', 'ORDO_BENCH_FILE_KB', 100) * 1024,
  };
}

export function step(text: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}…`);
}

export const fmt = (value: number, digits = 2) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';
export const mb = (bytes: number) => `${fmt(bytes / MB, 0)} MB`;

/** Runs a program to its end (argument array); rejects with its stderr when it fails. */
export async function runProgram(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { env, maxBuffer: 64 * MB });
  return stdout;
}

export async function asAdmin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres') {
  const client = new pg.Client({ ...ADMIN, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

/** Peak memory of a process while `work` runs: sampled VmRSS and the kernel's VmHWM. */
export async function withRssSampling<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ value: T; peakRss: number; hwm: number }> {
  const read = async () => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const field = (name: string) =>
      Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  };
  let peakRss = (await read()).rss;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peakRss = Math.max(peakRss, (await read()).rss);
      await new Promise((done) => setTimeout(done, 50));
    }
  })();
  try {
    const value = await work();
    return { value, peakRss, hwm: (await read()).hwm };
  } finally {
    running = false;
    await sampler;
  }
}

interface AgentProcess {
  child: ChildProcess;
  client: AgentClient;
  exited: Promise<void>;
}

export interface Bench {
  dir: string;
  root: string;
  instance: string;
  database: string;
  filestore: string;
  /** Environment for pg_dump/psql/python as the instance's role, like the agent's. */
  pgEnv: Record<string, string | undefined>;
  agent: AgentProcess;
  /** Kills the current agent (SIGKILL: it re-adopts its instances) and starts a fresh one: its VmHWM starts from zero. */
  restartAgent(): Promise<void>;
  close(): Promise<void>;
}

/** Follows a job's log to its end and answers the job as it finished. */
export async function finalJob(client: AgentClient, id: string): Promise<Job> {
  let end: JobLogEvent | undefined;
  for await (const event of client.followJobLog(id)) end = event;
  if (end?.type !== 'end') throw new Error(`job ${id}: no end event`);
  return end.job;
}

async function succeeded(client: AgentClient, id: string, what: string): Promise<Job> {
  const job = await finalJob(client, id);
  if (job.state !== 'succeeded') throw new Error(`${what} failed: ${JSON.stringify(job.error)}`);
  return job;
}

/** The agent bundled into a temp dir (so it never races a build of apps/agent/dist). */
async function buildAgent(repo: string, dir: string): Promise<string> {
  const buildDir = join(dir, 'agent-build');
  await mkdir(buildDir);
  await copyFile(join(repo, 'apps/agent/package.json'), join(buildDir, 'package.json'));
  await symlink(join(repo, 'apps/agent/src'), join(buildDir, 'src'), 'dir');
  await runProgram(process.execPath, [
    join(repo, 'scripts/build-node-app.mjs'),
    buildDir,
    '--standalone',
  ]);
  return join(buildDir, 'dist/main.js');
}

async function startAgent(
  main: string,
  env: Record<string, string | undefined>,
): Promise<AgentProcess> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the agent did not listen within 30 s:\n${output}`));
    }, 30_000);
    if (child.stdout === null) throw new Error('agent without stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`;
      try {
        const entry: unknown = JSON.parse(line);
        if (typeof entry === 'object' && entry !== null && 'url' in entry) {
          clearTimeout(timer);
          found(String(entry.url));
        }
      } catch {
        // Not a log line.
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`the agent exited:\n${output}`));
    });
  });
  return {
    child,
    exited,
    client: createAgentClient({
      baseUrl: url,
      token: env.ORDO_AGENT_TOKEN ?? '',
      timeoutMs: 600_000,
    }),
  };
}

const WORDS = Array.from({ length: 4000 }, (_, index) => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let word = '';
  for (
    let n = 3 + (index % 8), seed = index * 2654435761;
    n > 0;
    n--, seed = (seed * 48271) % 2147483647
  ) {
    word += letters[seed % 26];
  }
  return word;
});

/** About `bytes` of text rows (words and numbers, ~1 KB a row) COPYed in as the role. */
async function fillDatabase(
  env: Record<string, string | undefined>,
  database: string,
  bytes: number,
) {
  await runProgram(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      database,
      '-c',
      'CREATE TABLE bench_rows (id bigserial PRIMARY KEY, ref text, amount numeric, body text)',
    ],
    env,
  );
  const psql = spawn(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      database,
      '-c',
      'COPY bench_rows (ref, amount, body) FROM STDIN',
    ],
    { env, stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const done = new Promise<void>((ok, fail) =>
    psql.once('close', (code) => (code === 0 ? ok() : fail(new Error(`COPY failed (${code})`)))),
  );
  const stdin = psql.stdin;
  if (stdin === null) throw new Error('psql without stdin');
  let written = 0;
  let row = 0;
  while (written < bytes) {
    const lines: string[] = [];
    for (let n = 0; n < 1000; n++, row++) {
      const words: string[] = [];
      for (let length = 0; length < 1000;) {
        // Skewed like the words of real text (a few frequent, many rare).
        const word = WORDS[Math.floor(WORDS.length * Math.random() ** 3)] ?? 'x';
        words.push(word);
        length += word.length + 1;
      }
      lines.push(`SO${row}\t${(Math.random() * 10000).toFixed(2)}\t${words.join(' ')}\n`);
    }
    const chunk = lines.join('');
    written += chunk.length;
    if (!stdin.write(chunk)) await new Promise((drain) => stdin.once('drain', drain));
  }
  stdin.end();
  await done;
  await runProgram('psql', ['-X', '-q', '-d', database, '-c', 'ANALYZE bench_rows'], env);
}

/** `bytes` of random (incompressible) files laid out like Odoo's `<sha1[:2]>/<sha1>`. */
async function fillFilestore(dir: string, bytes: number, fileBytes: number) {
  for (let written = 0; written < bytes; written += fileBytes) {
    const data = randomBytes(fileBytes);
    const sha1 = createHash('sha1').update(data).digest('hex');
    await mkdir(join(dir, sha1.slice(0, 2)), { recursive: true });
    await writeFile(join(dir, sha1.slice(0, 2), sha1), data);
  }
}

/**
 * Sets up the bench: PostgreSQL role (LOGIN CREATEDB), stand-in Odoo repository, agent build
 * and process, an instance, then its data; the agent is restarted so its peak RSS covers only
 * what is measured next.
 */
export async function createBench(sizes: BenchSizes): Promise<Bench> {
  const repo = process.cwd();
  await stat(join(repo, 'scripts/bench/run.mjs')).catch(() => {
    throw new Error('run the bench from the repository root');
  });
  const dir = await mkdtemp(join(tmpdir(), 'ordo-bench-backup-'));
  const root = join(dir, 'root');
  const suffix = randomBytes(4).toString('hex');
  const role = `ordo_bench_${suffix}`;
  const instance = `bench_${suffix}`;
  let agent: AgentProcess | null = null;
  const close = async () => {
    if (agent !== null) {
      await agent.client.deleteInstance(instance).catch(() => undefined);
      // SIGKILL: a graceful stop would wait for the client's keep-alive connections.
      agent.child.kill('SIGKILL');
      await agent.exited;
    }
    // Stand-in Odoo processes this bench's agents started (their arguments name the root).
    for (const process of await liveProcesses()) {
      if (process.pgrp !== process.pid) continue;
      const args = await readCmdline(process.pid);
      if (args.some((arg) => arg.startsWith(`${root}/`))) signalGroup(process.pid, 'SIGKILL');
    }
    await asAdmin(async (client) => {
      const owned = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)',
        [role],
      );
      for (const { datname } of owned.rows) {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      }
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    }).catch((error: unknown) => console.error('cleanup of PostgreSQL failed:', error));
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    await asAdmin((client) => client.query(`CREATE ROLE ${role} LOGIN CREATEDB`));
    const pgEnv = {
      ...process.env,
      PGHOST: '127.0.0.1',
      PGPORT: '5432',
      PGUSER: role,
      PGDATABASE: 'postgres',
    };
    const bareRepo = (
      await runProgram(process.execPath, [
        join(repo, 'test/fixtures/odoo/make-odoo-repo.mjs'),
        dir,
        '17.0',
      ])
    ).trim();
    const main = await buildAgent(repo, dir);
    const from = 30_000 + Math.floor(Math.random() * 500) * 40;
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ORDO_AGENT_TOKEN: randomBytes(32).toString('hex'),
      ORDO_AGENT_ROOT: root,
      ORDO_AGENT_PORT: '0',
      ORDO_ODOO_GIT_URL: `file://${resolve(bareRepo)}`,
      ORDO_AGENT_PG_URL: `postgres://${role}@127.0.0.1:5432/postgres`,
      ORDO_AGENT_PORT_RANGE: `${from}-${from + 39}`,
    };
    step('starting the agent, installing the stand-in Odoo 17.0, creating an instance');
    agent = await startAgent(main, env);
    const install = await agent.client.installVersion({ version: '17.0', edition: 'community' });
    await succeeded(agent.client, install.job.id, 'installing 17.0');
    const created = await agent.client.createInstance({ name: instance, version: '17.0' });
    await succeeded(agent.client, created.job.id, 'creating the instance');
    const { database } = await agent.client.getInstance(instance);
    const filestore = join(root, 'instances', instance, 'data', 'filestore', database);
    step(`generating ${mb(sizes.dbBytes)} of rows and ${mb(sizes.filestoreBytes)} of files`);
    await Promise.all([
      fillDatabase(pgEnv, database, sizes.dbBytes),
      fillFilestore(filestore, sizes.filestoreBytes, sizes.fileBytes),
    ]);
    const bench: Bench = {
      dir,
      root,
      instance,
      database,
      filestore,
      pgEnv,
      agent,
      async restartAgent() {
        const old = bench.agent;
        old.child.kill('SIGKILL');
        await old.exited;
        agent = await startAgent(main, env);
        bench.agent = agent;
        // Wait for the instance to be re-adopted as running.
        for (
          let tries = 0;
          (await agent.client.getInstance(instance)).status !== 'running';
          tries++
        ) {
          if (tries > 300)
            throw new Error('the instance did not come back after the agent restart');
          await new Promise((done) => setTimeout(done, 100));
        }
      },
      close,
    };
    step('restarting the agent');
    await bench.restartAgent();
    return bench;
  } catch (error) {
    await close();
    throw error;
  }
}

/** `pg_dump --no-owner db | gzip -6 > out`: two processes and a pipe, no shell. */
export async function pgDumpGzip(
  env: Record<string, string | undefined>,
  database: string,
  out: string,
) {
  const { open } = await import('node:fs/promises');
  const file = await open(out, 'w');
  try {
    const dump = spawn('pg_dump', ['--no-owner', database], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const gzip = spawn('gzip', ['-6'], { stdio: [dump.stdout ?? 'ignore', file.fd, 'inherit'] });
    // gzip reads the pipe now; this process's end of it would only keep pg_dump's stdout open.
    dump.stdout?.destroy();
    const exit = (child: ChildProcess, name: string) =>
      new Promise<void>((ok, fail) =>
        child.once('exit', (code) =>
          code === 0 ? ok() : fail(new Error(`${name} exited ${code}`)),
        ),
      );
    await Promise.all([exit(dump, 'pg_dump'), exit(gzip, 'gzip')]);
  } finally {
    await file.close();
  }
}

export function verdict(met: boolean): string {
  return met ? 'goal met' : 'goal MISSED';
}

/** Runs the bench body, always cleans up, exits 1 only when the run itself broke. */
export async function runBench(body: (bench: Bench) => Promise<void>): Promise<void> {
  const sizes = benchSizes();
  let bench: Bench | null = null;
  try {
    bench = await createBench(sizes);
    await body(bench);
  } catch (error) {
    console.error('the benchmark run broke:', error);
    process.exitCode = 1;
  } finally {
    await bench?.close();
  }
}
