import type { Logger } from 'pino';
import type { OutboxDeps } from './outbox';
import { sendDueEmails } from './send-due-emails';

export interface EmailWorker {
  /** Something was queued: look now rather than at the next poll. */
  wake(): void;
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

/**
 * The control process's email sender: polls the outbox (and wakes when an email is queued
 * here), sends what is due, and keeps going until stopped. Failures never escape the loop.
 */
export function startEmailWorker(
  deps: OutboxDeps & { logger: Logger },
  options: { intervalMs?: number } = {},
): EmailWorker {
  const intervalMs = options.intervalMs ?? 5_000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let pendingWake = false;

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopped) {
        pendingWake = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const loop = (async () => {
    while (!stopped) {
      let tried = 0;
      try {
        tried = await sendDueEmails(deps);
      } catch (error) {
        deps.logger.error({ err: error }, 'email worker: cannot read the outbox');
      }
      // A full batch means more may be waiting: go on at once.
      if (tried === 0 && !stopped) await sleep();
    }
  })();

  return {
    wake() {
      if (wakeUp === null) pendingWake = true;
      else wakeUp();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
