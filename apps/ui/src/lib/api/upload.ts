import { PanelApiErrorBody } from '@ordo/protocol/panel';
import { UNREACHABLE_MESSAGE } from './api-error';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** How much of an upload has been sent, as a whole percentage; `null` while its size is unknown. */
export function uploadPercent(progress: UploadProgress): number | null {
  if (progress.total === 0) return null;
  return Math.min(100, Math.round((progress.loaded / progress.total) * 100));
}

/** A refused or failed upload: the control plane's (or the agent's) code and message. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Reads a finished upload's answer: the JSON body of a 2xx, an {@link UploadError} otherwise. */
export function readUploadAnswer(status: number, text: string): unknown {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: a proxy's page, or nothing; the status says enough.
  }
  if (status >= 200 && status < 300) return body;
  const parsed = PanelApiErrorBody.safeParse(body);
  if (parsed.success) {
    throw new UploadError(status, parsed.data.error.code, parsed.data.error.message);
  }
  if (status === 0) throw new UploadError(0, 'unreachable', UNREACHABLE_MESSAGE);
  throw new UploadError(status, 'http_error', `The control plane answered HTTP ${status}`);
}

/**
 * POSTs a file as the raw request body with XMLHttpRequest, which, unlike fetch, reports upload
 * progress. The session cookie rides along (same origin); the browser adds the Origin header
 * the control plane checks. Resolves with the parsed JSON answer.
 */
export function uploadFile(
  url: string,
  file: Blob,
  options: {
    contentType: string;
    onProgress: (progress: UploadProgress) => void;
    signal?: AbortSignal;
  },
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('content-type', options.contentType);
    request.upload.onprogress = (event) => {
      options.onProgress({
        loaded: event.loaded,
        total: event.lengthComputable ? event.total : file.size,
      });
    };
    request.onload = () => {
      try {
        resolve(readUploadAnswer(request.status, request.responseText));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    request.onerror = () => reject(new UploadError(0, 'unreachable', UNREACHABLE_MESSAGE));
    request.onabort = () => reject(new UploadError(0, 'aborted', 'The upload was cancelled'));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}
