import { builtArtefact } from './repo-paths';
import { startService } from './service-process';
import { createTempDir } from './temp-dir';
import { createTestDatabase } from './test-database';

export interface ControlProcess {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
  /** SIGKILL, then the same clean-up as `stop()`. */
  kill: () => Promise<void>;
}

export interface ControlOptions {
  adminEmail: string;
  adminPassword: string;
  /** More settings (e.g. ORDO_METRICS_INTERVAL_MS); they override the defaults below. */
  env?: Record<string, string>;
  /**
   * A database another control process uses too (several control planes on one PostgreSQL);
   * left in place by `stop()`. Without it each process gets a fresh database of its own.
   */
  databaseUrl?: string;
}

/**
 * Starts the built control plane (serving the built panel) on a free loopback port, with its
 * own fresh database and data directory; `stop()` removes both.
 */
export async function startControlProcess(options: ControlOptions): Promise<ControlProcess> {
  const entry = builtArtefact('control');
  builtArtefact('panel');
  const dataDir = await createTempDir('ordo-e2e-control');
  const database =
    options.databaseUrl === undefined
      ? await createTestDatabase('ordo_e2e').catch(async (error: unknown) => {
          await dataDir.remove();
          throw error;
        })
      : { url: options.databaseUrl, drop: () => Promise.resolve() };
  const cleanUp = async () => {
    await database.drop();
    await dataDir.remove();
  };
  try {
    const service = await startService({
      name: 'the control plane',
      entry,
      readyMessage: 'control plane listening',
      env: {
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: database.url,
        ORDO_DATA_DIR: dataDir.path,
        ORDO_ADMIN_EMAIL: options.adminEmail,
        ORDO_ADMIN_PASSWORD: options.adminPassword,
        ...options.env,
      },
    });
    return {
      url: service.url,
      output: service.output,
      stop: async () => {
        await service.stop();
        await cleanUp();
      },
      kill: async () => {
        await service.kill();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
