import { AgentErrorBody } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../src';
import { testApp } from './helpers';

describe('error answers', () => {
  it('answers an unknown route with 404 JSON', async () => {
    const { app, auth } = await testApp();
    const res = await app.request('/v1/nothing-here', { headers: auth });

    expect(res.status).toBe(404);
    const body = AgentErrorBody.parse(await res.json());
    expect(body.error).toMatchObject({
      code: 'not_found',
      message: 'No route for GET /v1/nothing-here',
    });
  });

  it('answers a thrown error with 500 "Internal error" and logs the cause', async () => {
    const { app, auth, log } = await testApp();
    app.get('/v1/test/explode', () => {
      throw new Error('secret detail: password=hunter2');
    });
    const res = await app.request('/v1/test/explode', { headers: auth });

    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(AgentErrorBody.parse(JSON.parse(text)).error).toMatchObject({
      code: 'internal',
      message: 'Internal error',
    });
    expect(log.text()).toContain('secret detail');
  });

  it('answers an AgentError with its own status, code and message', async () => {
    const { app, auth } = await testApp();
    app.get('/v1/test/conflict', () => {
      throw new AgentError('conflict', 409, 'An instance named "acme" already exists');
    });
    const res = await app.request('/v1/test/conflict', { headers: auth });

    expect(res.status).toBe(409);
    expect(AgentErrorBody.parse(await res.json()).error).toMatchObject({
      code: 'conflict',
      message: 'An instance named "acme" already exists',
    });
  });

  it('puts the request id in the header and the error body', async () => {
    const { app, auth } = await testApp();
    const res = await app.request('/v1/nope', {
      headers: { ...auth, 'x-request-id': 'trace-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(AgentErrorBody.parse(await res.json()).error.requestId).toBe('trace-123');
  });

  it('logs one access line per request with method, path, status and duration', async () => {
    const { app, log } = await testApp();
    await app.request('/v1/health?probe=1');
    const entries = log.entries().filter((entry) => entry.msg === 'request');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', path: '/v1/health', status: 200 });
    expect(typeof entries[0]?.ms).toBe('number');
    expect(typeof entries[0]?.requestId).toBe('string');
  });
});
