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

/** The signed-in account as the panel sees it. */
export const SessionUser = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
});
export type SessionUser = z.infer<typeof SessionUser>;
