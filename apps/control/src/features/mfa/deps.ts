import type { OutboxDeps } from '../email/outbox';

/** What the 2FA verbs run on: the database, the secret box, the outbox (email codes), a clock. */
export type MfaDeps = OutboxDeps;

export function nowOf(deps: { now?: () => Date }): Date {
  return deps.now?.() ?? new Date();
}
