import { open } from 'node:fs/promises';
import { readOdooLog } from '../../odoo/log-reader';
import type { RuntimeInstance } from '../runtime';
import { stdoutLogPath } from './pidfile';

const MAX_CHARS = 1500;

/**
 * The last ERROR/CRITICAL records of the Odoo log, else the end of its stdout/stderr (where a
 * Python that fails before Odoo's logging starts writes), for error messages.
 */
export async function lastOdooErrors(instance: RuntimeInstance): Promise<string> {
  const { lines } = await readOdooLog(instance.logfile, { level: 'ERROR', limit: 3 }).catch(() => ({
    lines: [],
  }));
  let text = lines.map((line) => `${line.logger ?? ''}: ${line.message}`).join(' | ');
  if (text === '') {
    text = (await tail(stdoutLogPath(instance.dir)))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .slice(-5)
      .join(' | ');
  }
  return text.length > MAX_CHARS ? `…${text.slice(-MAX_CHARS)}` : text;
}

const TAIL_BYTES = 8192;

/** The end of a file that may be large; empty when it cannot be read. */
async function tail(path: string): Promise<string> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await file.close();
    }
  } catch {
    return '';
  }
}
