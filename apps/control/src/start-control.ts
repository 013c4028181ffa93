import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { ControlConfig } from './config';
import { createSecretBox } from './crypto/secret-box';
import { loadSecretKey } from './crypto/secret-key-file';
import { type DatabaseHandle, openDatabase } from './db/database';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './db/embedded-postgres';
import { migrateToLatest } from './db/migrate';
import type { ControlDeps } from './deps';
import { bootstrapAdmin } from './features/auth';
import { startEmailWorker } from './features/email';
import { createJobHub } from './features/jobs';
import { startDownsampler, startMetricsPoller } from './features/metrics';
import {
  createAgentClientFactory,
  pingServer,
  syncServer,
  upsertLocalServer,
} from './features/servers';
import { createControlApp } from './http/app';
import { startJobMirror } from './job-mirror';
import { stopControlJobs } from './features/jobs/control-jobs';
import { failOrphanedMigrations } from './features/migrations';
import { createLogger } from './logger';

export interface RunningControl {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartControlOptions {
  logger?: Logger;
  /** Where the generated admin password banner goes (default stdout). */
  print?: (text: string) => void;
}

/** Database, migrations, first admin, local server, then HTTP: the whole control plane. */
export async function startControl(
  config: ControlConfig,
  options: StartControlOptions = {},
): Promise<RunningControl> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    }
  };

  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === null) {
      const embedded: EmbeddedPostgresHandle = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        logger,
      });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const database: DatabaseHandle = openDatabase(databaseUrl, logger);
    cleanups.push(() => database.close());
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const secretBox = createSecretBox(await loadSecretKey(config));
    let listenUrl = `http://${config.host}:${config.port}`;
    await bootstrapAdmin({
      db: database.db,
      logger,
      admin: { email: config.adminEmail, password: config.adminPassword },
      ...(options.print === undefined ? {} : { print: options.print }),
    });
    const deps: ControlDeps = {
      db: database.db,
      logger,
      secretBox,
      agentClientFactory: createAgentClientFactory({ timeoutMs: config.agentTimeoutMs }),
      publicUrl: config.publicUrl,
      uiDir: config.uiDir,
      jobHub: createJobHub(),
      maxUploadBytes: config.maxUploadBytes,
      // Known once listening; links in emails use ORDO_PUBLIC_URL when it is set.
      panelUrl: () => config.publicUrl ?? listenUrl,
    };
    const follower = startJobMirror(deps);
    cleanups.push(() => follower.stop());
    // A migration this process ran before it stopped cannot resume: fail it with the reason.
    const orphaned = await failOrphanedMigrations(deps);
    if (orphaned.length > 0) logger.warn({ jobs: orphaned }, 'unfinished migrations marked failed');
    cleanups.push(() => stopControlJobs('The control plane is shutting down'));
    const emailWorker = startEmailWorker(deps);
    deps.emailWorker = emailWorker;
    cleanups.push(() => emailWorker.stop());
    if (config.localAgent !== null) {
      const local = await upsertLocalServer(deps, config.localAgent);
      // Ping and sync at once so the first page a new admin sees shows a live server.
      const ping = await pingServer(deps, local.id);
      if (ping.ok) await syncServer(deps, local.id);
      logger.info(
        { url: config.localAgent.url, created: local.created, active: ping.ok },
        'local server registered',
      );
    }
    if (config.metricsIntervalMs > 0) {
      const poller = startMetricsPoller(deps, { intervalMs: config.metricsIntervalMs });
      cleanups.push(() => poller.stop());
      const downsampler = startDownsampler(deps.db, (error) =>
        logger.warn({ err: error }, 'cannot downsample metrics'),
      );
      cleanups.push(() => downsampler.stop());
    }
    const app = createControlApp(deps);
    const { server, port } = await listen(app.fetch, config.host, config.port);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep idle connections open; without this close() waits for them.
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    );

    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    listenUrl = url;
    logger.info({ url, publicUrl: config.publicUrl ?? url }, 'control plane listening');
    return { url, port, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

type FetchHandler = Parameters<typeof serve>[0]['fetch'];

function listen(
  fetch: FetchHandler,
  hostname: string,
  port: number,
): Promise<{ server: ReturnType<typeof serve>; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, (info: AddressInfo) => {
      server.off('error', onError);
      resolve({ server, port: info.port });
    });
    function onError(error: NodeJS.ErrnoException) {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${hostname} is already in use: set PORT to a free port`, {
              cause: error,
            })
          : error,
      );
    }
    server.once('error', onError);
  });
}
