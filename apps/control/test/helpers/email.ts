import { startEmailWorker, type EmailWorker } from '../../src/features/email';
import type { TestSmtpServer } from './smtp-server';
import type { TestClient, TestControl } from './test-control';

export const FROM = 'ordo@example.com';

/** Runs the outbox worker of this test control plane, as startControl does. */
export function runEmailWorker(control: TestControl): EmailWorker {
  const worker = startEmailWorker(control.deps, { intervalMs: 250 });
  control.deps.emailWorker = worker;
  return worker;
}

/** Points the control plane at the loopback SMTP server (plain, optional auth). */
export function saveSmtp(
  admin: TestClient,
  smtp: Pick<TestSmtpServer, 'host' | 'port'>,
  auth: { user: string; pass: string } | null = null,
) {
  return admin.trpc.settings.saveSmtp.mutate({
    host: smtp.host,
    port: smtp.port,
    security: 'none',
    user: auth?.user ?? '',
    password: auth?.pass ?? '',
    fromAddress: FROM,
    fromName: 'Ordo',
  });
}

/** The 6-digit code of an Ordo sign-in code email (from its subject). */
export function codeOf(subject: string | undefined): string {
  const code = /code: (\d{6})$/.exec(subject ?? '')?.[1];
  if (code === undefined) throw new Error(`no code in the subject "${subject ?? ''}"`);
  return code;
}
