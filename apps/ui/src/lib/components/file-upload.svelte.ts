import { readApiError } from '../api/api-error';
import { uploadPercent, type UploadProgress } from '../api/upload';

/** Sends the checked file, reporting progress; aborted when the dialog closes mid-upload. */
export type SendFile<T> = (
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal,
) => Promise<T>;

/**
 * One file chosen, checked and sent with progress: the state an upload dialog shares with
 * {@link FileUploadField} and {@link UploadStatus}. `check` says why a file cannot be sent.
 */
export class FileUpload {
  file = $state<File | null>(null);
  fileError = $state<string | undefined>(undefined);
  /** Why the last send failed: the control plane's or the agent's own reason. */
  error = $state<string | null>(null);
  progress = $state<UploadProgress | null>(null);
  sent = $state(false);
  readonly #check: (file: File | null) => string | null;
  readonly #abort = new AbortController();

  constructor(check: (file: File | null) => string | null) {
    this.#check = check;
  }

  get uploading(): boolean {
    return this.progress !== null && !this.sent;
  }

  get percent(): number | null {
    return this.progress === null ? null : uploadPercent(this.progress);
  }

  /** A file is chosen and passed the check: the submit button may be enabled. */
  get ready(): boolean {
    return this.file !== null && !this.fileError;
  }

  choose(file: File | null): void {
    this.file = file;
    this.fileError = file === null ? undefined : (this.#check(file) ?? undefined);
    this.error = null;
  }

  /** The chosen file when it can be sent; otherwise shows why under the field. */
  checked(): File | null {
    const problem = this.#check(this.file);
    if (problem !== null || this.file === null) {
      this.fileError = problem ?? undefined;
      return null;
    }
    return this.file;
  }

  /** Sends the chosen file; `null` when it was refused or failed (the reason is in `error`). */
  async send<T>(run: SendFile<T>): Promise<T | null> {
    const file = this.checked();
    if (file === null) return null;
    this.error = null;
    this.progress = { loaded: 0, total: file.size };
    try {
      const answer = await run(file, (next) => (this.progress = next), this.#abort.signal);
      this.sent = true;
      return answer;
    } catch (failure) {
      this.progress = null;
      this.error = readApiError(failure).message;
      return null;
    }
  }

  /** Stops a running upload: the server keeps nothing of a partial file. */
  abort(): void {
    if (this.uploading) this.#abort.abort();
  }
}
