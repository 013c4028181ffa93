import type { SshKeyState, SshKeyTestResult, SshPublicKey } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';
import { generateSshKey } from '../ssh-key/generate-ssh-key';
import { readSshKey } from '../ssh-key/read-ssh-key';
import type { SshKeyDeps } from '../ssh-key/ssh-key-deps';
import { testSshKey } from '../ssh-key/test-ssh-key';

/** The Enterprise deploy key: read, (re)generate, test against GitHub. */
export function sshKeyRoutes(deps: SshKeyDeps) {
  return new Hono<AgentEnv>()
    .get('/v1/ssh-key', async (c) => {
      const body: SshKeyState = await readSshKey(deps);
      return c.json(body);
    })
    .post('/v1/ssh-key', async (c) => {
      const body: SshPublicKey = await generateSshKey(deps);
      return c.json(body, 201);
    })
    .post('/v1/ssh-key/test', async (c) => {
      const body: SshKeyTestResult = await testSshKey(deps);
      return c.json(body);
    });
}
