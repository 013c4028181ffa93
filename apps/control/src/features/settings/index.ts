export { checkSmtpConnection, getSmtpSettings, saveSmtpSettings } from './save-smtp';
export { isSmtpConfigured, loadSmtpSettings, type StoredSmtp } from './smtp-settings';
export { sendTestEmail } from './test-smtp';
export { assertQuotaLeft, getInstanceQuota, saveInstanceQuota } from './instance-quota';
