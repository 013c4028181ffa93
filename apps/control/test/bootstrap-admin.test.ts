import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/crypto/secret-box';
import { bootstrapAdmin, DEFAULT_ADMIN_EMAIL, login, verifyPassword } from '../src/features/auth';
import { createUser, signedInUser } from './helpers/fixtures';
import { captureLogs } from './helpers/log-capture';
import { createTestDb, type TestDb } from './helpers/test-db';

describe('first admin bootstrap', () => {
  const dbs: TestDb[] = [];
  async function freshDb(): Promise<TestDb> {
    const testDb = await createTestDb();
    dbs.push(testDb);
    return testDb;
  }
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((testDb) => testDb.drop()));
  });

  it('creates the admin from ORDO_ADMIN_EMAIL / ORDO_ADMIN_PASSWORD without printing anything', async () => {
    const { db } = await freshDb();
    const logs = captureLogs();
    const printed: string[] = [];
    const result = await bootstrapAdmin({
      db,
      logger: logs.logger,
      admin: { email: 'owner@example.com', password: 'owner password 1' },
      print: (text) => printed.push(text),
    });
    expect(result).toEqual({ created: true, email: 'owner@example.com', passwordGenerated: false });
    expect(printed).toEqual([]);
    const user = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: 'owner@example.com', role: 'admin', is_active: true });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash, 'owner password 1')).toBe(true);
    expect(logs.text()).not.toContain('owner password 1');
  });

  it('generates a password, prints it once in a banner and never logs it', async () => {
    const { db } = await freshDb();
    const logs = captureLogs();
    const printed: string[] = [];
    const print = (text: string) => printed.push(text);
    const admin = { email: null, password: null };

    const result = await bootstrapAdmin({ db, logger: logs.logger, admin, print });
    expect(result).toEqual({ created: true, email: DEFAULT_ADMIN_EMAIL, passwordGenerated: true });
    expect(printed).toHaveLength(1);
    const banner = printed[0] ?? '';
    const password = /password: (\S+)/.exec(banner)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(banner).toContain(`email:    ${DEFAULT_ADMIN_EMAIL}`);
    expect(banner).toContain('shown only once');
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(password);

    const signedIn = await login(
      { db, secretBox: createSecretBox(randomBytes(32)) },
      { email: DEFAULT_ADMIN_EMAIL, password },
      { ip: null, userAgent: null, previousToken: null },
    );
    expect(signedInUser(signedIn).email).toBe(DEFAULT_ADMIN_EMAIL);

    // A restart finds a user and neither creates nor prints anything.
    expect(await bootstrapAdmin({ db, logger: logs.logger, admin, print })).toEqual({
      created: false,
    });
    expect(printed).toHaveLength(1);
    expect(logs.text()).not.toContain(password);
  });

  it('does nothing when any user exists', async () => {
    const { db } = await freshDb();
    await createUser(db, { email: 'someone@example.com', password: 'someone password' });
    const printed: string[] = [];
    const result = await bootstrapAdmin({
      db,
      logger: captureLogs().logger,
      admin: { email: 'owner@example.com', password: 'owner password 1' },
      print: (text) => printed.push(text),
    });
    expect(result).toEqual({ created: false });
    expect(printed).toEqual([]);
    const emails = (await db.selectFrom('users').select('email').execute()).map((u) => u.email);
    expect(emails).toEqual(['someone@example.com']);
  });
});
