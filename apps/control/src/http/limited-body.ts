import { PayloadTooLargeError, ValidationError } from '../errors';

export interface LimitedBody {
  /** The request body, passed on chunk by chunk (never buffered whole). */
  stream: ReadableStream<Uint8Array>;
  /** Bytes passed on so far. */
  received(): number;
  /**
   * Why the stream broke, when it was on this side: over the limit, or the sender went away.
   * A call that fails while this is set failed because of the upload, not of its destination.
   */
  failure(): Error | null;
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The upload is larger than the control plane accepts (${limit} bytes, ORDO_MAX_UPLOAD_BYTES)`,
  );
}

/**
 * Wraps a request body for streaming on to an agent, with the control plane's own size limit:
 * refused at once when Content-Length already says it is over, cut off while streaming when
 * the bytes do (a missing or lying Content-Length changes nothing).
 */
export function limitedBody(request: Request, limit: number): LimitedBody {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const body: ReadableStream<Uint8Array> | null = request.body;
  if (body === null) throw new ValidationError('Send the file as the request body');

  let received = 0;
  let failure: Error | null = null;
  const reader = body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        failure = new ValidationError('The upload was interrupted before it ended', {
          cause: error,
        });
        controller.error(failure);
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      received += chunk.value.byteLength;
      if (received > limit) {
        failure = tooLarge(limit);
        controller.error(failure);
        await reader.cancel(failure).catch(() => undefined);
        return;
      }
      controller.enqueue(chunk.value);
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return { stream, received: () => received, failure: () => failure };
}
