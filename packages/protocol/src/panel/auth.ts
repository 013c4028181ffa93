import { z } from 'zod';

export const Email = z
  .email('Enter a valid email address')
  .max(254)
  .transform((v) => v.toLowerCase());

/** `auth.login` input. The password is never trimmed: spaces are part of it. */
export const LoginInput = z.object({
  email: Email,
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** Access levels, lowest first (the CloudWady access-level table). */
export const ROLES = ['viewer', 'developer', 'developer_plus', 'maintainer', 'admin'] as const;
export const Role = z.enum(ROLES, { error: 'Choose a role' });
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  developer: 'Developer',
  developer_plus: 'Developer Plus',
  maintainer: 'Maintainer',
  admin: 'Admin',
};

/**
 * What a signed-in account may do. The role table itself lives in the control plane
 * (`features/users/permissions.ts`); the panel only reads the list `auth.me` gives it.
 */
export const PERMISSIONS = [
  'fleet.read',
  'instances.staging.operate',
  'instances.production.operate',
  'instances.delete',
  'servers.manage',
  'versions.manage',
  'settings.manage',
  'audit.read',
  'users.manage',
  'account.manage',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const MfaMethod = z.enum(['totp', 'email'], { error: 'Choose an app or email' });
export type MfaMethod = z.infer<typeof MfaMethod>;

/** The signed-in account as the panel sees it. */
export const SessionUser = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  /** "Allow user management": a non-admin who may manage accounts. */
  allowUserManagement: z.boolean(),
  /** The one server this account is limited to, or null for every server. */
  serverId: z.string().nullable(),
  /** The second factor in force, or null. */
  mfaMethod: MfaMethod.nullable(),
  permissions: z.array(Permission),
});
export type SessionUser = z.infer<typeof SessionUser>;

/**
 * `auth.login` answer. Without 2FA the session cookie is set at once (`mfaRequired: false`);
 * with 2FA nothing is set yet and `auth.verifyMfa` finishes the sign-in with the code.
 */
export const LoginResult = z.discriminatedUnion('mfaRequired', [
  z.object({ mfaRequired: z.literal(false), user: SessionUser }),
  z.object({
    mfaRequired: z.literal(true),
    method: MfaMethod,
    challengeId: z.string(),
    /** Where an email code went, partly masked (`a•••@example.com`); null for the app. */
    sentTo: z.string().nullable(),
    /** ISO timestamp after which the challenge is dead and the password must be entered again. */
    expiresAt: z.string(),
  }),
]);
export type LoginResult = z.infer<typeof LoginResult>;

export const ChallengeId = z.string().min(16).max(128);

/** `auth.verifyMfa` input: a 6-digit code from the app or the email, or a recovery code. */
export const VerifyMfaInput = z.object({
  challengeId: ChallengeId,
  code: z.string().trim().min(1, 'Enter the code').max(40, 'That code is too long'),
});
export type VerifyMfaInput = z.input<typeof VerifyMfaInput>;

/** `auth.resendMfaCode` input (email 2FA). */
export const ResendMfaCodeInput = z.object({ challengeId: ChallengeId });
export type ResendMfaCodeInput = z.input<typeof ResendMfaCodeInput>;

export const MIN_PASSWORD_LENGTH = 10;

/** A new password: length here, the leaked-password check on the server. */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'The password must be at most 1024 characters');

/** `auth.resetPassword` input: the token from the emailed link and the new password. */
export const ResetPasswordInput = z.object({
  token: z.string().min(16, 'This reset link is incomplete').max(200),
  password: NewPassword,
});
export type ResetPasswordInput = z.input<typeof ResetPasswordInput>;
