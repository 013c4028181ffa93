export { bootstrapAdmin, DEFAULT_ADMIN_EMAIL, generatePassword } from './bootstrap-admin';
export { login, WRONG_CREDENTIALS } from './login';
export { logout } from './logout';
export { hashPassword, verifyPassword } from './password';
export { resolveSession, SESSION_POLICY, type ActiveSession, type ClientInfo } from './sessions';
export { LOGIN_THROTTLE } from './throttle';
