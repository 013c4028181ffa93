import { z } from 'zod';
import { ChallengeId, MfaMethod } from './auth';

/** What the account page shows about the signed-in user's second factor. */
export const MfaStatus = z.object({
  method: MfaMethod.nullable(),
  /** Unused recovery codes left. */
  recoveryCodesLeft: z.number().int().nonnegative(),
  /** Email codes need a working SMTP configuration. */
  emailAvailable: z.boolean(),
});
export type MfaStatus = z.infer<typeof MfaStatus>;

/**
 * `account.mfa.startTotp` answer: scan `qrDataUrl` (or type `secret`) into an authenticator
 * app, then confirm one code. Nothing changes before the confirmation.
 */
export const TotpSetup = z.object({
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  /** otpauth://totp/Ordo:<email>?secret=…&issuer=Ordo&algorithm=SHA1&digits=6&period=30 */
  otpauthUrl: z.string(),
  /** The same URI as a QR code, as an SVG data URL. */
  qrDataUrl: z.string(),
});
export type TotpSetup = z.infer<typeof TotpSetup>;

const SixDigits = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code');

export const ConfirmTotpInput = z.object({ code: SixDigits });
export type ConfirmTotpInput = z.input<typeof ConfirmTotpInput>;

/** `account.mfa.startEmail` answer: a code was queued to the account's address. */
export const EmailMfaSetup = z.object({ challengeId: z.string(), sentTo: z.string() });
export type EmailMfaSetup = z.infer<typeof EmailMfaSetup>;

export const ConfirmEmailMfaInput = z.object({ challengeId: ChallengeId, code: SixDigits });
export type ConfirmEmailMfaInput = z.input<typeof ConfirmEmailMfaInput>;

/** Ten single-use codes, shown once; only their hashes are kept. */
export const RecoveryCodes = z.object({ codes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

/** Turning one's own 2FA off (or getting new recovery codes) asks for the password again. */
export const PasswordConfirmInput = z.object({
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type PasswordConfirmInput = z.input<typeof PasswordConfirmInput>;
