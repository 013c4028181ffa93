import { describe, expect, it } from 'vitest';
import { AddRepoInput, PullRepoInput, RepoBranch, repoUrlProblem } from './repos';

describe('repository URLs', () => {
  it.each([
    'https://github.com/OCA/web.git',
    'http://git.example.com/team/addons',
    'ssh://git@github.com/OCA/web.git',
    'git@github.com:OCA/web.git',
    'file:///srv/git/addons.git',
  ])('accepts %s', (url) => {
    expect(repoUrlProblem(url)).toBeNull();
  });

  it.each([
    ['', 'Enter the repository URL'],
    [
      'ftp://example.com/x.git',
      'Use an https://, http://, ssh://, file:// or git@host:path repository URL',
    ],
    ['ext::sh -c touch% /tmp/x', 'The repository URL may not contain spaces'],
    [
      '--upload-pack=touch',
      'Use an https://, http://, ssh://, file:// or git@host:path repository URL',
    ],
    [
      '/srv/git/addons.git',
      'Use an https://, http://, ssh://, file:// or git@host:path repository URL',
    ],
    [
      'https://user:tok@github.com/x.git',
      'Remove the password from the URL and give it as the access token instead',
    ],
    [
      'https://tok@github.com/x.git',
      'Remove the user name from the URL and give the access token instead',
    ],
    ['file:///', 'The repository URL names no repository'],
    [
      '-oProxyCommand@host:x.git',
      'Use an https://, http://, ssh://, file:// or git@host:path repository URL',
    ],
    [
      'git@-oProxyCommand:x.git',
      'Use an https://, http://, ssh://, file:// or git@host:path repository URL',
    ],
    [
      'ssh://-oProxyCommand=x/y.git',
      'The host name of the repository URL must start with a letter or digit',
    ],
    ['ssh://-x@host/y.git', 'The user name in the URL must start with a letter or digit'],
  ])('refuses %j', (url, problem) => {
    expect(repoUrlProblem(url)).toBe(problem);
  });
});

describe('repository input', () => {
  it.each(['main', '17.0', 'feature/x-1', 'release+1'])('accepts branch %s', (branch) => {
    expect(RepoBranch.safeParse(branch).success).toBe(true);
  });

  it.each(['-x', 'a..b', 'a/', '/a', 'a.lock', 'a b', 'x/.hidden', ''])(
    'refuses branch %j',
    (branch) => {
      expect(RepoBranch.safeParse(branch).success).toBe(false);
    },
  );

  it('refuses tokens that would break an HTTP header', () => {
    const base = { url: 'https://github.com/x/y.git', branch: 'main' };
    expect(AddRepoInput.safeParse({ ...base, token: 'abc\r\nX-Evil: 1' }).success).toBe(false);
    expect(AddRepoInput.safeParse({ ...base, token: 'ghp_abc' }).success).toBe(true);
  });

  it('updates modules unless told not to', () => {
    expect(PullRepoInput.parse({})).toEqual({ updateModules: true });
    expect(PullRepoInput.parse({ updateModules: false, token: 't' })).toEqual({
      updateModules: false,
      token: 't',
    });
  });
});
