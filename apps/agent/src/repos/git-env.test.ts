import { describe, expect, it } from 'vitest';
import { gitEnvironment } from './git-env';

describe('gitEnvironment', () => {
  it('passes the token as an HTTP header through GIT_CONFIG_*, not as an argument', () => {
    const env = gitEnvironment({ PATH: '/usr/bin', ORDO_AGENT_TOKEN: 'agent' }, 'tok3n');
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.extraHeader',
      GIT_CONFIG_VALUE_1: `Authorization: Basic ${Buffer.from('x-access-token:tok3n').toString('base64')}`,
    });
    expect(env).not.toHaveProperty('ORDO_AGENT_TOKEN');
  });

  it('drops variables that would trace headers or inject configuration', () => {
    const env = gitEnvironment({
      PATH: '/usr/bin',
      GIT_TRACE: '1',
      GIT_TRACE_CURL: '/tmp/curl.log',
      GIT_CURL_VERBOSE: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: 'store',
      GIT_CONFIG_PARAMETERS: "'credential.helper'='store'",
      SSH_ASKPASS: '/usr/bin/ask',
    });
    expect(
      Object.keys(env).filter((name) => /TRACE|CURL|PARAMETERS|SSH_ASKPASS/.test(name)),
    ).toEqual([]);
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
    });
    expect(env).not.toHaveProperty('GIT_CONFIG_VALUE_1');
  });
});
