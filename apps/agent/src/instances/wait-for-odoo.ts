import type { InstanceRuntime, RuntimeInstance } from '../runtime/runtime';
import type { InstanceRecord } from './instance-record';

/** Odoo did not come up; the message carries the reason and its last log lines. */
export class OdooStartError extends Error {
  override readonly name = 'OdooStartError';
}

const PROBE_TIMEOUT_MS = 2000;
const PROBE_INTERVAL_MS = 250;

/** Where to ask whether Odoo answers: /web/health (15.0+), the login page before that. */
export function healthUrl(host: string, record: Pick<InstanceRecord, 'httpPort' | 'version'>) {
  const path = Number.parseFloat(record.version) >= 15 ? '/web/health' : '/web/login';
  return `http://${connectableHost(host)}:${record.httpPort ?? 0}${path}`;
}

function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Waits until Odoo answers 200 on its health URL. Fails early when the runtime gives up on it,
 * else after `timeoutMs`; aborts with `signal`.
 */
export async function waitForOdoo(input: {
  runtime: InstanceRuntime;
  instance: RuntimeInstance;
  url: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<void> {
  const deadline = Date.now() + input.timeoutMs;
  for (;;) {
    input.signal?.throwIfAborted();
    if (await answers(input.url, input.signal)) return;
    const status = await input.runtime.status(input.instance);
    if (status.state === 'error') {
      throw new OdooStartError(await withLastLines(input, status.reason ?? 'Odoo failed'));
    }
    if (Date.now() >= deadline) {
      const seconds = Math.round(input.timeoutMs / 1000);
      throw new OdooStartError(
        await withLastLines(input, `Odoo did not answer on ${input.url} within ${seconds} s`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

async function answers(url: string, signal: AbortSignal | undefined): Promise<boolean> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'manual',
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** `what`, then the last ERROR lines of the Odoo log (or its last lines when there are none). */
export async function withLastLines(
  input: { runtime: InstanceRuntime; instance: RuntimeInstance },
  what: string,
): Promise<string> {
  const read = (level: 'ERROR' | undefined, limit: number) =>
    input.runtime
      .logs(input.instance, { level, limit })
      .then((logs) => logs.lines)
      .catch(() => []);
  let lines = await read('ERROR', 3);
  if (lines.length === 0) lines = await read(undefined, 5);
  if (lines.length === 0) return what;
  const text = lines
    .map((line) => `${line.level ?? ''} ${line.logger ?? ''}: ${line.message}`.trim())
    .join(' | ');
  return `${what}. Last log lines: ${text.length > 1500 ? `…${text.slice(-1500)}` : text}`;
}
