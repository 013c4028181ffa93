import { describe, expect, it } from 'vitest';
import {
  branchOfRef,
  describeEvent,
  describeLastPull,
  repoShortName,
  shortSha,
  webhookUrlOf,
} from './repo-format';
import { checkRepoForm } from './repo-form';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('repository formatting', () => {
  it('shortens commits and names repositories by owner/name', () => {
    expect(shortSha(A)).toBe('aaaaaaa');
    expect(shortSha(null)).toBe('—');
    expect(repoShortName('https://github.com/acme/odoo-addons.git')).toBe('acme/odoo-addons');
    expect(repoShortName('git@gitlab.com:group/sub/addons.git')).toBe('sub/addons');
    expect(repoShortName('ssh://git@git.example.com:2222/acme/addons')).toBe('acme/addons');
    expect(repoShortName('file:///tmp/x/addons.git')).toBe('x/addons');
  });

  it('builds the webhook URL from ORDO_PUBLIC_URL, else from the panel origin', () => {
    const path = '/hooks/git/0b6f7f7e-6d4b-4a53-8a8e-1a1e1c1b1a19';
    expect(webhookUrlOf({ webhookUrl: null, webhookPath: path }, 'http://127.0.0.1:8080')).toBe(
      `http://127.0.0.1:8080${path}`,
    );
    expect(
      webhookUrlOf({ webhookUrl: `https://ordo.example.com${path}`, webhookPath: path }, 'x'),
    ).toBe(`https://ordo.example.com${path}`);
  });

  it('describes the last pull, events and refs', () => {
    expect(describeLastPull({ lastPull: null })).toBeNull();
    expect(describeLastPull({ lastPull: { from: A, to: B, modules: ['sale_x', 'stock_y'] } })).toBe(
      'aaaaaaa → bbbbbbb · updated sale_x, stock_y',
    );
    expect(describeLastPull({ lastPull: { from: B, to: B, modules: [] } })).toBe(
      'at bbbbbbb · no module changed',
    );
    expect(describeEvent({ event: 'Push Hook', provider: 'gitlab' })).toBe('Push');
    expect(describeEvent({ event: 'ping', provider: 'github' })).toBe('Ping');
    expect(branchOfRef('refs/heads/feature/x')).toBe('feature/x');
    expect(branchOfRef('refs/tags/v1')).toBe('refs/tags/v1');
  });
});

describe('the add form', () => {
  it('sends a public repository without a token, with main by default', () => {
    expect(
      checkRepoForm({ url: ' https://github.com/acme/a.git ', branch: '', token: '' }),
    ).toEqual({
      ok: true,
      input: { url: 'https://github.com/acme/a.git', branch: 'main' },
    });
  });

  it('names the bad fields', () => {
    const checked = checkRepoForm({
      url: 'https://user:pw@github.com/acme/a.git',
      branch: 'bad..branch',
      token: 'has space',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.url).toBe(
      'Remove the password from the URL and give it as the access token instead',
    );
    expect(checked.errors.branch).toBe('This is not a valid git branch name');
    expect(checked.errors.token).toBe(
      'The access token may hold printable characters only, no spaces',
    );
  });
});
