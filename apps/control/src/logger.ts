import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

/** Structured JSON logs; fields that may carry secrets are redacted wherever they appear. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: 'ordo-control',
    level,
    redact: {
      paths: [
        'password',
        'token',
        'secret',
        'currentPassword',
        'newPassword',
        '*.password',
        '*.token',
        '*.secret',
        '*.currentPassword',
        '*.newPassword',
        'headers.cookie',
        'headers.authorization',
        '*.headers.cookie',
        '*.headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
