import { ConfigError, loadControlConfig } from './config';
import { createLogger } from './logger';
import { startControl } from './start-control';

async function main(): Promise<void> {
  let config;
  try {
    config = loadControlConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  let control;
  try {
    control = await startControl(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, `control plane failed to start: ${describe(error)}`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    control.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

await main();
