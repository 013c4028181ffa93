import type { Logger } from 'pino';
import { createLogger } from '../../src/logger';

export interface LogCapture {
  logger: Logger;
  /** Every line pino wrote, as raw JSON text. */
  lines: string[];
  text(): string;
}

/** A real pino logger writing into memory, so tests can assert on what was (not) logged. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}
