import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const POLL_MS = 200;

/**
 * Calls `onLine` for every line appended to `path` from now on (the file may not exist yet),
 * until `stop()`, which reads what is left first. For watching Odoo's logfile while a
 * one-shot Odoo command runs.
 */
export async function followLogFile(
  path: string,
  onLine: (line: string) => void,
): Promise<{ stop: () => Promise<void> }> {
  let position = await stat(path).then(
    (info) => info.size,
    () => 0,
  );
  let rest = '';
  const decoder = new StringDecoder('utf8');
  let reading: Promise<void> = Promise.resolve();

  const readMore = async () => {
    let file;
    try {
      file = await open(path, 'r');
    } catch {
      return;
    }
    try {
      const { size } = await file.stat();
      if (size < position) position = 0;
      while (position < size) {
        const buffer = Buffer.alloc(Math.min(64 * 1024, size - position));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const lines = (rest + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') onLine(line.trimEnd());
      }
    } finally {
      await file.close();
    }
  };

  const timer = setInterval(() => {
    reading = reading.then(readMore).catch(() => {});
  }, POLL_MS);

  return {
    stop: async () => {
      clearInterval(timer);
      await reading;
      await readMore().catch(() => {});
      if (rest.trim() !== '') onLine(rest.trimEnd());
      rest = '';
    },
  };
}
