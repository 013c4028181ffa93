import { AgentErrorBody, AgentHealth } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { newToken, testApp } from './helpers';

describe('bearer token', () => {
  it('lets GET /v1/health through without a token', async () => {
    const { app } = await testApp();
    const res = await app.request('/v1/health');
    expect(res.status).toBe(200);
    expect(AgentHealth.parse(await res.json())).toMatchObject({ ok: true, service: 'ordo-agent' });
  });

  it('accepts the right token', async () => {
    const { app, auth } = await testApp();
    const res = await app.request('/v1/instances', { headers: auth });
    expect(res.status).toBe(200);
  });

  it('accepts the scheme in any case', async () => {
    const { app, config } = await testApp();
    const res = await app.request('/v1/info', {
      headers: { authorization: `bearer ${config.token}` },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the scheme without a token', 'Bearer '],
  ])('refuses %s with 401 "Missing bearer token"', async (_label, header) => {
    const { app } = await testApp();
    const headers: Record<string, string> = header === undefined ? {} : { authorization: header };
    const res = await app.request('/v1/info', { headers });

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ordo-agent"');
    const body = AgentErrorBody.parse(await res.json());
    expect(body.error).toMatchObject({ code: 'unauthorized', message: 'Missing bearer token' });
  });

  it.each([
    ['a wrong token of the same length', newToken()],
    ['a shorter token', 'abc'],
    ['a longer token', `${newToken()}${newToken()}`],
  ])('refuses %s with 401 "Invalid token"', async (_label, token) => {
    const { app } = await testApp();
    const res = await app.request('/v1/instances', {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="ordo-agent", error="invalid_token"',
    );
    const body = AgentErrorBody.parse(await res.json());
    expect(body.error).toMatchObject({ code: 'unauthorized', message: 'Invalid token' });
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('refuses a prefix of the right token', async () => {
    const { app, config } = await testApp();
    const res = await app.request('/v1/info', {
      headers: { authorization: `Bearer ${config.token.slice(0, -1)}` },
    });
    expect(res.status).toBe(401);
    expect(AgentErrorBody.parse(await res.json()).error.message).toBe('Invalid token');
  });

  it('requires the token on unknown routes too, so they reveal nothing', async () => {
    const { app } = await testApp();
    const res = await app.request('/v1/nothing-here');
    expect(res.status).toBe(401);
    expect(AgentErrorBody.parse(await res.json()).error.message).toBe('Missing bearer token');
  });

  it('requires the token on non-GET requests to the health path', async () => {
    const { app } = await testApp();
    const res = await app.request('/v1/health', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(AgentErrorBody.parse(await res.json()).error.message).toBe('Missing bearer token');
  });

  it('never writes the token or the Authorization header to the log', async () => {
    const { app, auth, config, log } = await testApp();
    await app.request('/v1/info', { headers: auth });
    await app.request('/v1/info', { headers: { authorization: 'Bearer wrong-token-value' } });

    expect(log.text()).toContain('"path":"/v1/info"');
    expect(log.text()).not.toContain(config.token);
    expect(log.text()).not.toContain('wrong-token-value');
    expect(log.text().toLowerCase()).not.toContain('authorization');
  });
});
