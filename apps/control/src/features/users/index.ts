export {
  removeUser,
  enableUserEmailTwoFactor,
  resetUserTwoFactor,
  sendUserEmail,
  sendUserResetLink,
  setUserPassword,
} from './account-actions';
export { authorize, type ProcedureMeta, type TargetKind } from './authorize';
export { createUser, type WelcomeEmailOutcome } from './create';
export { type Actor, toUserView } from './internal';
export { listUsers } from './list';
export { assertPasswordAllowed, isCommonPassword, TOO_COMMON } from './password-policy';
export * from './permissions';
export { updateUserAccess } from './update';
