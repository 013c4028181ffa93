export {
  challengeKey,
  findOpenChallenge,
  maskEmail,
  MFA_POLICY,
  openChallenge,
  resendWaitSeconds,
  sendEmailCode,
} from './challenges';
export { checkSecondFactor, MFA_MESSAGES } from './check-second-factor';
export type { MfaDeps } from './deps';
export {
  confirmEmailEnrolment,
  SMTP_NEEDED_FOR_EMAIL_2FA,
  startEmailEnrolment,
} from './enroll-email';
export { confirmTotpEnrolment, startTotpEnrolment } from './enroll-totp';
export {
  disableOwnMfa,
  getMfaStatus,
  regenerateRecoveryCodes,
  resetUserMfa,
  WRONG_PASSWORD,
} from './manage-mfa';
export { RECOVERY_CODE_COUNT } from './recovery-codes';
export { TOTP } from './totp';
