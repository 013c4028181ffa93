import { ConfigError, formatConfigError, loadAgentConfig, type AgentConfig } from './config';
import { createLogger } from './logger';
import { startAgent } from './server';

const SHUTDOWN_TIMEOUT_MS = 10_000;

function loadConfigOrExit(): AgentConfig {
  try {
    return loadAgentConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${formatConfigError(error)}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const agent = await startAgent(config, { logger });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Keep-alive clients or a stuck request must not keep systemd waiting forever.
    setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    agent.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ordo-agent: ${message}\n`);
  process.exit(1);
});
