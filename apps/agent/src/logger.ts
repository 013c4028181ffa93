import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/settings';

export type { Logger } from 'pino';

/**
 * The agent's structured logger. Redaction is a safety net: code must not pass secrets to it
 * in the first place.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'ordo-agent' },
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', '*.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
