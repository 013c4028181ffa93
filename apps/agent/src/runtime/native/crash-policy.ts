export interface CrashPolicy {
  /** First restart delay; each further crash in the window doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within `windowMs` and the supervisor gives up. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxCrashes: 5,
  windowMs: 120_000,
};

export type CrashDecision = { kind: 'restart'; delayMs: number } | { kind: 'give_up' };

/**
 * What to do after a crash, given the times of the crashes so far (this one included): restart
 * after 1 s, 2 s, 4 s … (at most `maxDelayMs`), or give up after `maxCrashes` in the window.
 */
export function decideAfterCrash(
  crashTimes: readonly number[],
  now: number,
  policy: CrashPolicy,
): CrashDecision {
  const recent = crashTimes.filter((time) => now - time < policy.windowMs).length;
  if (recent >= policy.maxCrashes) return { kind: 'give_up' };
  const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, recent - 1));
  return { kind: 'restart', delayMs };
}
