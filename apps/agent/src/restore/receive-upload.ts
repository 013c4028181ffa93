import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AgentError } from '../errors';

/** Default of ORDO_AGENT_MAX_UPLOAD_BYTES: 20 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 ** 3;

/** The upload limit from ORDO_AGENT_MAX_UPLOAD_BYTES (a whole number of bytes). */
export function maxUploadBytes(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.ORDO_AGENT_MAX_UPLOAD_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_UPLOAD_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`ORDO_AGENT_MAX_UPLOAD_BYTES must be a whole number of bytes, got "${raw}"`);
  }
  return value;
}

function tooLarge(limit: number): AgentError {
  return new AgentError(
    'payload_too_large',
    413,
    `The upload is larger than this server accepts (${limit} bytes, ORDO_AGENT_MAX_UPLOAD_BYTES)`,
  );
}

/**
 * Streams a request body to `<root>/uploads/<random>.partial`, never holding it in memory.
 * Over `limit` (declared or actual) → 413; an aborted or failed upload leaves no file.
 */
export async function receiveUpload(
  root: string,
  request: Request,
  limit: number,
): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (request.body === null) {
    throw new AgentError('bad_request', 400, 'Send the archive as the request body');
  }
  const dir = join(root, 'uploads');
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const path = join(dir, `${randomBytes(8).toString('hex')}.partial`);
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(received > limit ? tooLarge(limit) : null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(request.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(path, { mode: 0o640 }),
    );
    // No fsync: the upload is scratch. After a crash its job is failed and the file removed,
    // and forcing half a gigabyte to disk would only delay the restore by seconds.
  } catch (error) {
    await rm(path, { force: true });
    if (error instanceof AgentError) throw error;
    throw new AgentError('bad_request', 400, 'The upload was interrupted before it ended');
  }
  if (received === 0) {
    await rm(path, { force: true });
    throw new AgentError('bad_request', 400, 'The uploaded file is empty');
  }
  return path;
}
