import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MfaChallengeRow } from '../../db/account-types';
import {
  deleteExpiredChallenges,
  findChallenge,
  insertChallenge,
  setChallengeCode,
} from '../../db/repositories/mfa.repository';
import type { Database } from '../../db/types';
import { enqueueEmail, type OutboxDeps } from '../email/outbox';
import { mfaCodeEmail } from '../email/templates';

export const MFA_POLICY = {
  /** How long the code step of a sign-in (or an email enrolment) stays open. */
  challengeTtlMs: 30 * 60_000,
  /** How long an emailed code works. */
  emailCodeTtlMs: 10 * 60_000,
  maxAttempts: 5,
  /** At most one new email code per minute. */
  resendAfterMs: 60_000,
  /** A scanned-but-unconfirmed TOTP secret is forgotten after this. */
  pendingTotpTtlMs: 15 * 60_000,
} as const;

export type ChallengePurpose = MfaChallengeRow['purpose'];
export type ChallengeMethod = MfaChallengeRow['method'];

/** The database keeps only a hash of the id the browser holds. */
export function challengeKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function openChallenge(
  db: Kysely<Database>,
  args: {
    userId: string;
    purpose: ChallengePurpose;
    method: ChallengeMethod;
    client: { ip: string | null; userAgent: string | null };
    now: Date;
  },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(args.now.getTime() + MFA_POLICY.challengeTtlMs);
  // Housekeeping on the way: dead challenges go as new ones are made.
  await deleteExpiredChallenges(db, args.now);
  await insertChallenge(db, {
    id: challengeKey(token),
    user_id: args.userId,
    purpose: args.purpose,
    method: args.method,
    created_at: args.now,
    expires_at: expiresAt,
    ip: args.client.ip,
    user_agent: args.client.userAgent?.slice(0, 512) ?? null,
  });
  return { token, expiresAt };
}

/** The challenge behind a token if it is still open, else undefined. */
export async function findOpenChallenge(
  db: Kysely<Database>,
  token: string,
  purpose: ChallengePurpose,
  now: Date,
): Promise<MfaChallengeRow | undefined> {
  const row = await findChallenge(db, challengeKey(token));
  if (row === undefined || row.purpose !== purpose) return undefined;
  if (row.expires_at.getTime() <= now.getTime()) return undefined;
  return row;
}

// Keyed by the challenge token, which only the browser has: the stored hash of a 6-digit code
// cannot be brute-forced offline from a copy of the database.
function emailCodeHash(token: string, code: string): string {
  return createHmac('sha256', token).update(code).digest('hex');
}

/** Mails a fresh 6-digit code for the challenge (the previous one stops working). */
export async function sendEmailCode(
  deps: OutboxDeps,
  args: { token: string; to: string; userId: string; now: Date },
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await setChallengeCode(deps.db, challengeKey(args.token), {
    hash: emailCodeHash(args.token, code),
    sentAt: args.now,
  });
  const content = mfaCodeEmail({ code, validMinutes: MFA_POLICY.emailCodeTtlMs / 60_000 });
  await enqueueEmail(deps, {
    kind: 'mfa_code',
    to: args.to,
    subject: content.subject,
    text: content.text,
    createdBy: args.userId,
  });
}

export type EmailCodeCheck = 'ok' | 'wrong' | 'expired';

export function checkEmailCode(
  challenge: MfaChallengeRow,
  token: string,
  code: string,
  now: Date,
): EmailCodeCheck {
  if (challenge.code_hash === null || challenge.code_sent_at === null) return 'wrong';
  const expected = Buffer.from(challenge.code_hash, 'hex');
  const given = Buffer.from(emailCodeHash(token, code.trim()), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'wrong';
  const age = now.getTime() - challenge.code_sent_at.getTime();
  return age < MFA_POLICY.emailCodeTtlMs ? 'ok' : 'expired';
}

/** Seconds until a new email code may be sent; 0 when it may be sent now. */
export function resendWaitSeconds(challenge: MfaChallengeRow, now: Date): number {
  if (challenge.code_sent_at === null) return 0;
  const wait = challenge.code_sent_at.getTime() + MFA_POLICY.resendAfterMs - now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

/** `a•••@example.com`: enough to recognise one's own address, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
