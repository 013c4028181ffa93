import type { SshKeyTestResult } from '@ordo/protocol';
import { AgentError } from '../errors';
import { childEnvironment } from '../system/child-environment';
import { ProcessStartError, runProcess } from '../system/run-process';
import { requireSshKey } from './read-ssh-key';
import { SSH_KEY_LOCK, type SshKeyDeps } from './ssh-key-deps';
import { enterpriseSshOptions, parseSshTarget } from './ssh-options';

// ssh's own ConnectTimeout is 10 s; this bounds the whole exchange.
const TEST_TIMEOUT_MS = 30_000;
/** GitHub's greeting to a recognised key: "Hi <user>! You've successfully authenticated, …". */
const GREETING = /successfully authenticated/i;
/** ssh's chatter that says nothing about the key. */
const NOISE = /^(Warning: Permanently added|Pseudo-terminal will not be allocated)/;

/**
 * "Test GitHub connection": `ssh -T git@github.com` with the Enterprise key. GitHub offers no
 * shell, so it answers a recognised key with a greeting and exit code 1; that greeting is the
 * success, whatever the exit code. Anything else is reported as ssh or the server said it.
 */
export async function testSshKey(deps: SshKeyDeps): Promise<SshKeyTestResult> {
  return deps.locks.run(SSH_KEY_LOCK, async () => {
    await requireSshKey(deps.root);
    const target = parseSshTarget(deps.testTarget);
    const lines: string[] = [];
    let code: number | null;
    try {
      const result = await runProcess(
        'ssh',
        [
          '-T',
          ...enterpriseSshOptions(deps.root),
          ...(target.port === null ? [] : ['-p', String(target.port)]),
          '--',
          `${target.user}@${target.host}`,
        ],
        {
          env: childEnvironment(deps.env, { LC_ALL: 'C' }),
          signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
          onLine: (line) => {
            if (!NOISE.test(line)) lines.push(line);
          },
        },
      );
      code = result.code;
    } catch (error) {
      if (error instanceof ProcessStartError) {
        throw new AgentError(
          'unavailable',
          503,
          'ssh is not installed on this server: install the openssh-client package',
          { cause: error },
        );
      }
      if (error instanceof Error && error.name === 'AbortError') {
        return {
          ok: false,
          message: `${deps.testTarget} did not answer within ${TEST_TIMEOUT_MS / 1000} s`,
          target: deps.testTarget,
        };
      }
      throw error;
    }
    const greeting = lines.find((line) => GREETING.test(line));
    const ok = greeting !== undefined;
    const message =
      greeting ?? (lines.slice(-3).join(' ') || `ssh ended with exit code ${code ?? 'unknown'}`);
    deps.logger.info({ target: deps.testTarget, ok, code }, 'enterprise ssh key tested');
    return { ok, message, target: deps.testTarget };
  });
}
