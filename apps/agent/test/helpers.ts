import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { z } from 'zod';
import { createAgentApp, createLogger, loadAgentConfig, type AgentConfig } from '../src';
import type { Logger } from '../src/logger';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** A fresh temp dir, removed after the current test. */
export async function useTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-agent-test-'));
  // Retries: a job may still be appending to its log when the test ends (ENOTEMPTY).
  onTestFinished(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));
  return dir;
}

export function testConfig(root: string, token = newToken()): AgentConfig {
  return loadAgentConfig({ ORDO_AGENT_TOKEN: token, ORDO_AGENT_ROOT: root, ORDO_AGENT_PORT: '0' });
}

const LogEntry = z.record(z.string(), z.unknown());
type LogEntry = z.infer<typeof LogEntry>;

/** A real pino logger whose output the test can read. */
export function captureLogger(): { logger: Logger; text: () => string; entries: () => LogEntry[] } {
  const chunks: string[] = [];
  const logger = createLogger('debug', { write: (chunk: string) => void chunks.push(chunk) });
  return {
    logger,
    text: () => chunks.join(''),
    entries: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => LogEntry.parse(JSON.parse(line))),
  };
}

export async function testApp(options: { root?: string; token?: string } = {}) {
  const root = options.root ?? (await useTempDir());
  const config = testConfig(root, options.token);
  const log = captureLogger();
  const app = createAgentApp({ config, logger: log.logger, startedAt: new Date() });
  const auth = { authorization: `Bearer ${config.token}` };
  return { app, config, root, log, auth };
}
