export { changeOwnPassword, logoutEverywhere, WRONG_CURRENT_PASSWORD } from './account';
export { bootstrapAdmin, DEFAULT_ADMIN_EMAIL, generatePassword } from './bootstrap-admin';
export { completeSignIn, type SignedIn } from './complete-sign-in';
export {
  login,
  type AuthDeps,
  type LoginResult,
  type MfaPending,
  WRONG_CREDENTIALS,
} from './login';
export { logout } from './logout';
export { hashPassword, verifyPassword } from './password';
export {
  replacePassword,
  RESET_LINK_INVALID,
  RESET_TOKEN_TTL_MS,
  resetPasswordWithToken,
  sendPasswordResetLink,
} from './password-reset';
export { resolveSession, SESSION_POLICY, type ActiveSession, type ClientInfo } from './sessions';
export { LOGIN_THROTTLE } from './throttle';
export { resendMfaCode, verifyMfa } from './verify-mfa';
