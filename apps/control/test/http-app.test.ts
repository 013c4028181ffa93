import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { createControlApp } from '../src/http/app';
import { captureLogs } from './helpers/log-capture';
import { databaseUrl } from './helpers/pg-admin';
import { ADMIN, startTestControl, type TestControl } from './helpers/test-control';

const json = { 'content-type': 'application/json' };

describe('control HTTP app', () => {
  let control: TestControl;
  let uiDir: string;
  beforeAll(async () => {
    control = await startTestControl();
    uiDir = await mkdtemp(join(tmpdir(), 'ordo-control-ui-'));
    await mkdir(join(uiDir, 'assets'));
    await writeFile(join(uiDir, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(join(uiDir, 'assets', 'index-abc123.js'), 'console.log("panel")');
  });
  afterAll(async () => {
    await control.close();
    await rm(uiDir, { recursive: true, force: true });
  });

  it('answers /healthz after reaching the database', async () => {
    const response = await fetch(`${control.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, db: true });
  });

  it('answers 503 on /healthz when the database is gone', async () => {
    const logs = captureLogs();
    const broken = openDatabase(databaseUrl('ordo_test_does_not_exist'));
    try {
      const app = createControlApp({ ...control.deps, db: broken.db, logger: logs.logger });
      const response = await app.request('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ok: false, db: false });
    } finally {
      await broken.close();
    }
  });

  it('hides unexpected errors behind "Internal error" and logs the cause', async () => {
    const logs = captureLogs();
    const broken = openDatabase(databaseUrl('ordo_test_does_not_exist'));
    try {
      const app = createControlApp({ ...control.deps, db: broken.db, logger: logs.logger });
      const login = await app.request('/trpc/auth.login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify(ADMIN),
      });
      expect(login.status).toBe(500);
      const body = JSON.stringify(await login.json());
      expect(body).toContain('"message":"Internal error"');
      expect(body).not.toContain('does not exist');
      expect(logs.text()).toContain('does not exist');

      const me = await app.request('/trpc/auth.me', { headers: { cookie: 'ordo_session=abc' } });
      expect(me.status).toBe(500);
      expect(JSON.stringify(await me.json())).toContain('"message":"Internal error"');
    } finally {
      await broken.close();
    }
  });

  it('refuses a mutation from a foreign origin with 403', async () => {
    const response = await fetch(`${control.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: JSON.stringify(ADMIN),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'Request refused: it came from https://evil.example, not from the Ordo panel',
      },
    });
    expect(response.headers.get('set-cookie')).toBeNull();

    const opaque = await fetch(`${control.url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { origin: 'null' },
    });
    expect(opaque.status).toBe(403);
  });

  it('accepts mutations from its own origin, the public URL, or without Origin', async () => {
    const sameHost = await fetch(`${control.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { ...json, origin: control.url },
      body: JSON.stringify(ADMIN),
    });
    expect(sameHost.status).toBe(200);

    const app = createControlApp({ ...control.deps, publicUrl: 'https://ordo.example.com' });
    const viaProxy = await app.request('http://10.0.0.1:8080/trpc/auth.login', {
      method: 'POST',
      headers: { ...json, origin: 'https://ordo.example.com' },
      body: JSON.stringify(ADMIN),
    });
    expect(viaProxy.status).toBe(200);

    const noOrigin = await fetch(`${control.url}/trpc/auth.login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(ADMIN),
    });
    expect(noOrigin.status).toBe(200);
  });

  it('sends security headers with a self-only CSP', async () => {
    const response = await fetch(`${control.url}/healthz`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers JSON 404 under /api', async () => {
    const response = await fetch(`${control.url}/api/nothing`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'No API route POST /api/nothing' },
    });
  });

  it('says the panel is not built when there is none', async () => {
    const response = await fetch(`${control.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('The web panel is not built');
  });

  it('serves the built panel with an SPA fallback', async () => {
    const app = createControlApp({ ...control.deps, uiDir });
    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="app">');
    expect(index.headers.get('cache-control')).toBe('no-cache');

    const route = await app.request('/servers/123');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="app">');

    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("panel")');

    const missing = await app.request('/assets/missing.js');
    expect(missing.status).toBe(404);

    const traversal = await app.request('/assets/..%2f..%2fetc%2fpasswd');
    expect(await traversal.text()).not.toContain('root:');
  });
});
