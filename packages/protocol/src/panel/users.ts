import { z } from 'zod';
import { Email, MfaMethod, NewPassword, Role } from './auth';

/** An account as the Users page lists it. */
export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  allowUserManagement: z.boolean(),
  serverId: z.string().nullable(),
  /** Null when unrestricted, or when the server it was limited to has been removed. */
  serverName: z.string().nullable(),
  isActive: z.boolean(),
  mfaMethod: MfaMethod.nullable(),
  /** ISO timestamps. */
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;

/** `users.list` input: a search on the email and a role filter, both optional. */
export const UserListInput = z
  .object({
    search: z.string().trim().max(254).optional(),
    role: Role.optional(),
  })
  .default({});
export type UserListInput = z.input<typeof UserListInput>;

export const UserIdInput = z.object({ id: z.uuid('Unknown user') });
export type UserIdInput = z.input<typeof UserIdInput>;

/** `users.create` input. The username is an email address. */
export const UserCreateInput = z.object({
  email: Email,
  password: NewPassword,
  role: Role.default('viewer'),
  allowUserManagement: z.boolean().default(false),
  /** Restrict the account to one server; null or absent: every server. */
  serverId: z.uuid('Choose a server').nullable().default(null),
  /** Mail the access URL to the new account (queued; needs SMTP). */
  sendWelcomeEmail: z.boolean().default(true),
});
export type UserCreateInput = z.input<typeof UserCreateInput>;

/** `users.update` input: only the fields given change. */
export const UserUpdateInput = z.object({
  id: z.uuid('Unknown user'),
  role: Role.optional(),
  allowUserManagement: z.boolean().optional(),
  serverId: z.uuid('Choose a server').nullable().optional(),
  /** False signs the account out everywhere at once. */
  isActive: z.boolean().optional(),
});
export type UserUpdateInput = z.input<typeof UserUpdateInput>;

/** `users.setPassword` input: an administrator sets a new password. */
export const UserSetPasswordInput = z.object({ id: z.uuid('Unknown user'), password: NewPassword });
export type UserSetPasswordInput = z.input<typeof UserSetPasswordInput>;

/** `users.sendEmail` input: a free-form message through the configured SMTP server. */
export const UserSendEmailInput = z.object({
  id: z.uuid('Unknown user'),
  subject: z.string().trim().min(1, 'Enter a subject').max(200, 'The subject is too long'),
  body: z.string().trim().min(1, 'Write a message').max(20_000, 'The message is too long'),
});
export type UserSendEmailInput = z.input<typeof UserSendEmailInput>;
