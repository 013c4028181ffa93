import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_LABELS } from '@ordo/protocol/panel';
import { appRouter } from '../src/trpc/root';
import { createUser, fakeToken } from './helpers/fixtures';
import { closedPort } from './helpers/foreign-servers';
import { type CallOutcome, procedureCaller, type ProcedureType } from './helpers/procedure-caller';
import {
  caseName,
  isAllowed,
  MATRIX_CASES,
  MATRIX_ROLES,
  type MatrixCase,
  type MatrixFixture,
  type MatrixRole,
} from './helpers/role-matrix-cases';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const PROCEDURES = appRouter._def.procedures;
const typeOf = (path: string): ProcedureType => {
  const procedure: unknown = Reflect.get(PROCEDURES, path);
  const def: unknown = typeof procedure === 'function' ? Reflect.get(procedure, '_def') : undefined;
  const type: unknown =
    typeof def === 'object' && def !== null ? Reflect.get(def, 'type') : undefined;
  if (type !== 'query' && type !== 'mutation' && type !== 'subscription') {
    throw new Error(`no procedure ${path}`);
  }
  return type;
};
const base36 = (length: number) =>
  Array.from({ length }, () => Math.floor(Math.random() * 36).toString(36)).join('');
/** A job id in the agent's format (`j_<9>_<10>`). */
const jobId = () => `j_${base36(9)}_${base36(10)}`;
const passwordOf = (email: string) => `${email.split('@')[0] ?? ''} password 123`;

// Hundreds of real HTTP calls per test: generous on a loaded 2-core machine.
describe(
  'role × action matrix: every procedure, every role, over HTTP',
  { timeout: 90_000 },
  () => {
    let control: TestControl;
    let admin: TestClient;
    const fixture: Omit<MatrixFixture, 'password'> = {
      server: { A: '', B: '' },
      production: { A: 'shop', B: 'other' },
      staging: { A: 'shop-test', B: 'other-test' },
      instanceJob: { A: jobId(), B: jobId() },
      versionJob: { A: jobId(), B: jobId() },
      targetUserId: '',
    };

    async function addAccount(
      email: string,
      account: { role: MatrixRole; allowUserManagement?: boolean; serverId?: string },
    ): Promise<string> {
      return (await createUser(control.deps.db, { email, password: passwordOf(email), ...account }))
        .id;
    }

    /** A fresh session cookie for the account. */
    async function sessionOf(email: string): Promise<string> {
      await control.deps.db.deleteFrom('login_failures').execute();
      const client = control.client();
      await client.trpc.auth.login.mutate({ email, password: passwordOf(email) });
      return `ordo_session=${client.cookies.get('ordo_session') ?? ''}`;
    }

    /** The actor's session; a case that ends sessions runs in its own, then this one is renewed. */
    const sessions = new Map<string, string>();

    async function run(email: string | null, c: MatrixCase, on: 'A' | 'B'): Promise<CallOutcome> {
      let cookie: string | null = null;
      if (email !== null) {
        cookie = c.endsSession
          ? await sessionOf(email)
          : (sessions.get(email) ?? (await sessionOf(email)));
        sessions.set(email, cookie);
      }
      const input = c.input({ ...fixture, password: email === null ? '' : passwordOf(email) }, on);
      const outcome = await procedureCaller(control.url, cookie)(typeOf(c.path), c.path, input);
      if (email !== null && c.endsSession) sessions.set(email, await sessionOf(email));
      return outcome;
    }

    const refused = (outcome: CallOutcome) => !outcome.ok && outcome.code === 'FORBIDDEN';
    /** Allowed: answered, or failed for a reason other than access (not found, agent down…). */
    const describeOutcome = (o: CallOutcome) => (o.ok ? 'ok' : `${o.code}: ${o.message}`);
    const passedTheCheck = (o: CallOutcome) =>
      o.ok ||
      (o.code !== 'FORBIDDEN' &&
        o.message !== 'Sign in first' &&
        o.code !== 'INTERNAL_SERVER_ERROR');

    beforeAll(async () => {
      control = await startTestControl({ follower: false });
      admin = await control.signedInClient();
      const agentUrl = `http://127.0.0.1:${await closedPort()}`;
      for (const [key, name] of [
        ['A', 'alpha'],
        ['B', 'beta'],
      ] as const) {
        const { id } = await admin.trpc.servers.create.mutate({
          name,
          agentUrl,
          token: fakeToken(),
        });
        fixture.server[key] = id;
        const base = {
          server_id: id,
          version: '17.0',
          edition: 'community',
          status: 'running',
          status_reason: null,
          http_port: 8069,
          url: null,
        };
        await control.deps.db
          .insertInto('instances')
          .values([
            {
              ...base,
              name: fixture.production[key],
              type: 'production',
              parent: null,
              database: fixture.production[key],
            },
            {
              ...base,
              name: fixture.staging[key],
              type: 'staging',
              parent: fixture.production[key],
              database: fixture.staging[key],
            },
          ])
          .execute();
        const job = {
          server_id: id,
          state: 'running',
          progress: 0,
          requested_by: null,
          requested_by_user_id: null,
          error_code: null,
          error_message: null,
          created_at: new Date(),
          started_at: null,
          ended_at: null,
        };
        await control.deps.db
          .insertInto('jobs')
          .values([
            {
              ...job,
              id: fixture.instanceJob[key],
              kind: 'instance.create',
              target: fixture.staging[key],
            },
            { ...job, id: fixture.versionJob[key], kind: 'version.install', target: '17.0' },
          ])
          .execute();
      }
      for (const role of MATRIX_ROLES) await addAccount(`${role}.user@example.com`, { role });
      await addAccount('manager@example.com', { role: 'viewer', allowUserManagement: true });
      await addAccount('limited@example.com', { role: 'admin', serverId: fixture.server.A });
      await addAccount('login@example.com', { role: 'viewer' });
      fixture.targetUserId = await addAccount('target@example.com', { role: 'viewer' });
    });
    afterAll(async () => {
      await control.close();
    });

    it('has an expectation for every procedure, and every procedure declares its permission', () => {
      const paths = Object.keys(PROCEDURES).sort();
      const covered = new Set(MATRIX_CASES.map((c) => c.path));
      expect(
        paths.filter((path) => !covered.has(path)),
        'procedures without a matrix case',
      ).toEqual([]);
      expect(
        [...covered].filter((path) => !paths.includes(path)),
        'cases of no procedure',
      ).toEqual([]);
      const undeclared = paths.filter((path) => {
        const procedure: unknown = Reflect.get(PROCEDURES, path);
        const def: unknown =
          typeof procedure === 'function' ? Reflect.get(procedure, '_def') : undefined;
        const meta: unknown =
          typeof def === 'object' && def !== null ? Reflect.get(def, 'meta') : undefined;
        return (
          typeof meta !== 'object' ||
          meta === null ||
          typeof Reflect.get(meta, 'permission') !== 'string'
        );
      });
      expect(undeclared, 'procedures without .meta({ permission })').toEqual([]);
    });

    it('refuses every non-public procedure to an anonymous caller', async () => {
      const wrong: string[] = [];
      for (const c of MATRIX_CASES) {
        const outcome = await run(null, c, 'A');
        const signInFirst =
          !outcome.ok && outcome.code === 'UNAUTHORIZED' && outcome.message === 'Sign in first';
        if ((c.min === 'public') === signInFirst)
          wrong.push(`${caseName(c)}: ${describeOutcome(outcome)}`);
      }
      expect(wrong).toEqual([]);
    });

    const actors: { email: string; role: MatrixRole; userManagement: boolean }[] = [
      ...MATRIX_ROLES.map((role) => ({
        email: `${role}.user@example.com`,
        role,
        userManagement: false,
      })),
      { email: 'manager@example.com', role: 'viewer', userManagement: true },
    ];

    for (const actor of actors) {
      const name = `${ROLE_LABELS[actor.role]}${actor.userManagement ? ' with user management' : ''}`;
      it(`gives ${name} exactly what the table says`, async () => {
        const wrong: string[] = [];
        for (const c of MATRIX_CASES) {
          const outcome = await run(actor.email, c, 'A');
          const allowed = isAllowed(c, actor.role, actor.userManagement);
          const ok = allowed
            ? passedTheCheck(outcome)
            : refused(outcome) &&
              !outcome.ok &&
              outcome.message.startsWith(`Your role (${ROLE_LABELS[actor.role]}) cannot `);
          if (!ok) {
            wrong.push(
              `${caseName(c)} should be ${allowed ? 'allowed' : 'refused'}: ${describeOutcome(outcome)}`,
            );
          }
        }
        expect(wrong).toEqual([]);
      });
    }

    it('keeps a server-limited admin to its server in every procedure', async () => {
      const wrong: string[] = [];
      for (const c of MATRIX_CASES) {
        if (c.scope === 'server' || c.scope === 'fleet') {
          const outcome = await run('limited@example.com', c, 'B');
          const expected =
            c.scope === 'fleet'
              ? /^Your account is limited to the server alpha: this action concerns the whole panel$/
              : /^Your account is limited to the server alpha$/;
          if (!refused(outcome) || outcome.ok || !expected.test(outcome.message)) {
            wrong.push(`${caseName(c)} on beta should be refused: ${describeOutcome(outcome)}`);
          }
        }
        if (c.scope !== 'fleet' && c.path !== 'servers.remove') {
          const outcome = await run('limited@example.com', c, 'A');
          if (!passedTheCheck(outcome)) {
            wrong.push(`${caseName(c)} on alpha should be allowed: ${describeOutcome(outcome)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('shows a server-limited account only its server in every list', async () => {
      const client = control.client();
      await control.deps.db.deleteFrom('login_failures').execute();
      await client.trpc.auth.login.mutate({
        email: 'limited@example.com',
        password: passwordOf('limited@example.com'),
      });
      expect((await client.trpc.servers.list.query()).map((s) => s.name)).toEqual(['alpha']);
      const instances = await client.trpc.instances.list.query({});
      expect(instances.map((i) => i.name).sort()).toEqual(['shop', 'shop-test']);
      const jobs = await client.trpc.jobs.list.query({});
      expect(jobs.map((j) => j.id).sort()).toEqual(
        [fixture.instanceJob.A, fixture.versionJob.A].sort(),
      );
      expect(new Set((await client.trpc.users.list.query()).map((u) => u.serverId))).toEqual(
        new Set([fixture.server.A]),
      );
      // The unlimited admin sees both servers.
      expect((await admin.trpc.servers.list.query()).map((s) => s.name)).toEqual(
        expect.arrayContaining(['alpha', 'beta']),
      );
    });
  },
);
