import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SshKeyState, SshKeyTestResult, SshPublicKey } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp } from '../src';
import {
  GITHUB_GREETING,
  startLocalSshd,
  type LocalSshd,
} from '../../../test/fixtures/ssh/local-sshd';
import { captureLogger, testConfig, useTempDir } from './helpers';
import { authed, expectError, type TestApp } from './instance-support';

const run = promisify(execFile);

let sshd: LocalSshd;
let sshdDir: string;

beforeAll(async () => {
  sshdDir = await mkdtemp(join(tmpdir(), 'ordo-sshd-'));
  sshd = await startLocalSshd(sshdDir);
}, 30_000);

afterAll(async () => {
  await sshd.stop();
  await rm(sshdDir, { recursive: true, force: true });
});

async function agent() {
  const root = await useTempDir();
  const config = { ...testConfig(root), enterpriseSshTestTarget: sshd.target };
  const log = captureLogger();
  const app: TestApp = createAgentApp({ config, logger: log.logger, startedAt: new Date() });
  const call = (path: string, method: 'GET' | 'POST' = 'GET') =>
    app.request(path, authed(config.token, { method }));
  return { root, config, log, call };
}

describe('Enterprise SSH key', () => {
  it('generates an ed25519 pair: the public key answered, the private key 0600 and never sent', async () => {
    const { root, log, call } = await agent();
    const before = await call('/v1/ssh-key');
    expect(before.status).toBe(200);
    expect(SshKeyState.parse(await before.json())).toBeNull();

    const generated = await call('/v1/ssh-key', 'POST');
    expect(generated.status).toBe(201);
    const generatedText = await generated.text();
    const key = SshPublicKey.parse(JSON.parse(generatedText));
    expect(key.publicKey).toMatch(
      new RegExp(`^ssh-ed25519 [A-Za-z0-9+/]+=* ordo@${hostname().replace(/\./g, '\\.')}$`),
    );

    // The fingerprint is the one OpenSSH computes (and GitHub shows).
    const dir = join(root, 'ssh');
    const listed = (await run('ssh-keygen', ['-l', '-f', join(dir, 'id_ed25519.pub')])).stdout;
    expect(listed.split(' ')[1]).toBe(key.fingerprint);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'id_ed25519'))).mode & 0o777).toBe(0o600);
    // No temporary files left beside the pair.
    expect((await readdir(dir)).sort()).toEqual(['id_ed25519', 'id_ed25519.pub']);

    const got = await call('/v1/ssh-key');
    const gotText = await got.text();
    expect(SshKeyState.parse(JSON.parse(gotText))).toEqual(key);

    const privateKey = await readFile(join(dir, 'id_ed25519'), 'utf8');
    const secret = privateKey.split('\n').filter((line) => !line.startsWith('-----'))[1] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    for (const text of [generatedText, gotText, log.text()]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(secret);
    }
  });

  it('regenerates: a new key replaces the old one, which stops working', async () => {
    const { root, call } = await agent();
    const first = SshPublicKey.parse(await (await call('/v1/ssh-key', 'POST')).json());
    const firstPrivate = await readFile(join(root, 'ssh', 'id_ed25519'), 'utf8');
    await sshd.authorize([first.publicKey]);
    expect(SshKeyTestResult.parse(await (await call('/v1/ssh-key/test', 'POST')).json()).ok).toBe(
      true,
    );

    const second = SshPublicKey.parse(await (await call('/v1/ssh-key', 'POST')).json());
    expect(second.publicKey).not.toBe(first.publicKey);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(await readFile(join(root, 'ssh', 'id_ed25519'), 'utf8')).not.toBe(firstPrivate);
    expect(SshKeyState.parse(await (await call('/v1/ssh-key')).json())).toEqual(second);
    expect((await stat(join(root, 'ssh', 'id_ed25519'))).mode & 0o777).toBe(0o600);

    // GitHub still knows the old key only.
    const result = SshKeyTestResult.parse(await (await call('/v1/ssh-key/test', 'POST')).json());
    expect(result.ok).toBe(false);
    expect(result.message).toContain('Permission denied (publickey)');
  }, 60_000);

  it('tests the connection: recognised → ok with the greeting, unknown → the refusal', async () => {
    const { log, call } = await agent();
    const key = SshPublicKey.parse(await (await call('/v1/ssh-key', 'POST')).json());

    await sshd.authorize([key.publicKey]);
    const accepted = await call('/v1/ssh-key/test', 'POST');
    expect(accepted.status).toBe(200);
    expect(SshKeyTestResult.parse(await accepted.json())).toEqual({
      ok: true,
      message: GITHUB_GREETING,
      target: sshd.target,
    });

    await sshd.authorize([]);
    const refused = SshKeyTestResult.parse(await (await call('/v1/ssh-key/test', 'POST')).json());
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/Permission denied \(publickey\)/);
    expect(refused.message).not.toContain('Permanently added');
    expect(log.text()).toContain('enterprise ssh key tested');
  }, 60_000);

  it('refuses to test before a key exists', async () => {
    const { call } = await agent();
    await expectError(
      await call('/v1/ssh-key/test', 'POST'),
      409,
      'conflict',
      /no Enterprise SSH key yet: generate one/,
    );
  });
});
