import { AgentClientError } from '@ordo/protocol';

/** Why one instance did not move, in words for the admin (shown in the log and the dialog). */
export class MigrationFailure extends Error {
  override readonly name = 'MigrationFailure';
}

/** The message to show for anything a step threw. */
export function failureMessage(error: unknown): string {
  if (error instanceof MigrationFailure || error instanceof AgentClientError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'Cancelled';
  if (error instanceof Error) return error.message;
  return String(error);
}
