/**
 * Thrown by a job handler to fail the job with a code and a message the admin can act on.
 * Any other error fails the job as `internal`.
 */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}
