import { z } from 'zod';
import { NewPassword } from './auth';

/** `account.changePassword` input. */
export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
  newPassword: NewPassword,
});
export type ChangePasswordInput = z.input<typeof ChangePasswordInput>;

/** `account.logoutEverywhere` answer: how many sessions ended, this one included. */
export const LogoutEverywhereResult = z.object({ ended: z.number().int().nonnegative() });
export type LogoutEverywhereResult = z.infer<typeof LogoutEverywhereResult>;
