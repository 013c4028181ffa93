export { startEmailWorker, type EmailWorker } from './email-worker';
export { listEmailHistory, toEmailView } from './history';
export { EMAIL_POLICY, enqueueEmail, notify, type OutboxDeps, type QueuedEmail } from './outbox';
export { sendDueEmails, SMTP_NOT_CONFIGURED } from './send-due-emails';
export { createSmtpTransport, describeSmtpError } from './smtp-transport';
export * from './templates';
