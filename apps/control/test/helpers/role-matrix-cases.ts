import { randomUUID } from 'node:crypto';

/** Access levels, lowest first, as the CloudWady table lists them. */
export const MATRIX_ROLES = [
  'viewer',
  'developer',
  'developer_plus',
  'maintainer',
  'admin',
] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/** Ids the fixture created; `A` is the limited account's server, `B` another one. */
export interface MatrixFixture {
  server: Record<'A' | 'B', string>;
  /** A production and a staging instance on each server. */
  production: Record<'A' | 'B', string>;
  staging: Record<'A' | 'B', string>;
  instanceJob: Record<'A' | 'B', string>;
  versionJob: Record<'A' | 'B', string>;
  /** A viewer account every manager may act on. */
  targetUserId: string;
  /** The acting account's password. */
  password: string;
}

/**
 * How a server-limited account sees a procedure: `server` (the input names a server: another
 * one is refused), `list` (answers only its server's items), `fleet` (refused: concerns every
 * server), `free` (nothing to do with servers).
 */
export type Scope = 'server' | 'list' | 'fleet' | 'free';

export interface MatrixCase {
  path: string;
  label?: string;
  /** The lowest role allowed, or `public` (no session needed). */
  min: MatrixRole | 'public';
  /** "Allow user management" grants it whatever the role. */
  userManagement?: true;
  scope: Scope;
  /** Ends the caller's session: run it from a session of its own. */
  endsSession?: true;
  input: (f: MatrixFixture, on: 'A' | 'B') => unknown;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${(counter += 1)}-${randomUUID().slice(0, 8)}`;
const ghost = () => randomUUID();

const onServer = (f: MatrixFixture, on: 'A' | 'B') => ({ serverId: f.server[on] });
const prod = (f: MatrixFixture, on: 'A' | 'B') => ({
  serverId: f.server[on],
  name: f.production[on],
});
const stage = (f: MatrixFixture, on: 'A' | 'B') => ({
  serverId: f.server[on],
  name: f.staging[on],
});

/** Two cases for an instance operation: production needs Developer Plus, staging Developer. */
function instanceOp(path: string, extra: Record<string, unknown> = {}): MatrixCase[] {
  return [
    {
      path,
      label: 'production',
      min: 'developer_plus',
      scope: 'server',
      input: (f, on) => ({ ...prod(f, on), ...extra }),
    },
    {
      path,
      label: 'staging',
      min: 'developer',
      scope: 'server',
      input: (f, on) => ({ ...stage(f, on), ...extra }),
    },
  ];
}

/** The expected access of every procedure, written from the CloudWady access-level table. */
export const MATRIX_CASES: MatrixCase[] = [
  { path: 'auth.me', min: 'public', scope: 'free', input: () => undefined },
  {
    path: 'auth.login',
    min: 'public',
    scope: 'free',
    input: () => ({ email: 'login@example.com', password: 'login password 123' }),
  },
  {
    path: 'auth.verifyMfa',
    min: 'public',
    scope: 'free',
    input: () => ({ challengeId: 'x'.repeat(43), code: '123456' }),
  },
  {
    path: 'auth.resendMfaCode',
    min: 'public',
    scope: 'free',
    input: () => ({ challengeId: 'x'.repeat(43) }),
  },
  {
    path: 'auth.resetPassword',
    min: 'public',
    scope: 'free',
    input: () => ({ token: 'y'.repeat(43), password: 'reset password 123' }),
  },
  { path: 'auth.logout', min: 'viewer', scope: 'free', endsSession: true, input: () => undefined },

  {
    path: 'account.changePassword',
    min: 'viewer',
    scope: 'free',
    input: (f) => ({ currentPassword: f.password, newPassword: '1234567890' }),
  },
  {
    path: 'account.logoutEverywhere',
    min: 'viewer',
    scope: 'free',
    endsSession: true,
    input: () => undefined,
  },
  { path: 'account.mfaStatus', min: 'viewer', scope: 'free', input: () => undefined },
  { path: 'account.startTotp', min: 'viewer', scope: 'free', input: () => undefined },
  { path: 'account.confirmTotp', min: 'viewer', scope: 'free', input: () => ({ code: '000000' }) },
  { path: 'account.startEmailMfa', min: 'viewer', scope: 'free', input: () => undefined },
  {
    path: 'account.confirmEmailMfa',
    min: 'viewer',
    scope: 'free',
    input: () => ({ challengeId: 'z'.repeat(43), code: '000000' }),
  },
  {
    path: 'account.disableMfa',
    min: 'viewer',
    scope: 'free',
    input: () => ({ password: 'not the password' }),
  },
  {
    path: 'account.regenerateRecoveryCodes',
    min: 'viewer',
    scope: 'free',
    input: () => ({ password: 'not the password' }),
  },

  { path: 'servers.list', min: 'viewer', scope: 'list', input: () => undefined },
  {
    path: 'servers.create',
    min: 'maintainer',
    scope: 'fleet',
    input: () => ({
      name: unique('srv-'),
      agentUrl: 'http://127.0.0.1:9',
      token: 'a-token-of-sixteen-plus',
    }),
  },
  {
    path: 'servers.update',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ id: f.server[on], domain: 'odoo.example.com' }),
  },
  // A server that does not exist: allowed roles get NOT_FOUND, so the fixture survives.
  {
    path: 'servers.remove',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ id: on === 'B' ? f.server.B : ghost() }),
  },
  {
    path: 'servers.ping',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ id: f.server[on] }),
  },
  {
    path: 'servers.sync',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ id: f.server[on] }),
  },
  // Spans two servers, so a server-limited account may not; a target nobody has: NOT_FOUND.
  {
    path: 'servers.migrate',
    min: 'maintainer',
    scope: 'fleet',
    input: (f, on) => ({
      sourceServerId: f.server[on],
      targetServerId: ghost(),
      instances: [f.production[on]],
    }),
  },
  // An agent job is no migration: allowed roles get NOT_FOUND.
  {
    path: 'servers.migration',
    min: 'viewer',
    scope: 'server',
    input: (f, on) => ({ id: f.instanceJob[on] }),
  },

  { path: 'instances.list', min: 'viewer', scope: 'list', input: () => ({}) },
  {
    path: 'instances.checkName',
    min: 'viewer',
    scope: 'server',
    input: (f, on) => ({ ...onServer(f, on), name: 'free-name' }),
  },
  {
    path: 'instances.create',
    label: 'production',
    min: 'developer_plus',
    scope: 'server',
    input: (f, on) => ({
      ...onServer(f, on),
      name: unique('p'),
      version: '17.0',
      type: 'production',
    }),
  },
  {
    path: 'instances.create',
    label: 'staging',
    min: 'developer',
    scope: 'server',
    input: (f, on) => ({
      ...onServer(f, on),
      name: unique('s'),
      version: '17.0',
      type: 'staging',
      parent: f.production[on],
    }),
  },
  // Copies production's data: production's permission, even though it creates a staging instance.
  {
    path: 'instances.clone',
    min: 'developer_plus',
    scope: 'server',
    input: (f, on) => ({ ...prod(f, on), stagingName: unique('c') }),
  },
  ...instanceOp('instances.revealSecret', { secret: 'master' }),
  ...instanceOp('instances.start'),
  ...instanceOp('instances.stop'),
  ...instanceOp('instances.restart'),
  {
    path: 'instances.remove',
    min: 'admin',
    scope: 'server',
    input: (f, on) => ({ ...onServer(f, on), name: 'ghost-instance' }),
  },
  { path: 'instances.config.get', min: 'viewer', scope: 'server', input: prod },
  ...instanceOp('instances.config.update', { settings: { workers: 2 } }),
  { path: 'instances.logs', min: 'viewer', scope: 'server', input: prod },
  // Connect as bypasses the Odoo user's password and 2FA: an instance operation, even to list.
  ...instanceOp('instances.odooUsers'),
  ...instanceOp('instances.connectAs', { uid: 2, login: 'admin' }),

  { path: 'versions.list', min: 'viewer', scope: 'server', input: onServer },
  {
    path: 'versions.install',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ ...onServer(f, on), version: '17.0', edition: 'community' }),
  },
  {
    path: 'versions.upgradeEnterprise',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ ...onServer(f, on), version: '17.0' }),
  },

  { path: 'jobs.list', min: 'viewer', scope: 'list', input: () => ({}) },
  {
    path: 'jobs.get',
    min: 'viewer',
    scope: 'server',
    input: (f, on) => ({ id: f.instanceJob[on] }),
  },
  {
    path: 'jobs.cancel',
    label: 'staging instance job',
    min: 'developer',
    scope: 'server',
    input: (f, on) => ({ id: f.instanceJob[on] }),
  },
  {
    path: 'jobs.cancel',
    label: 'version job',
    min: 'maintainer',
    scope: 'server',
    input: (f, on) => ({ id: f.versionJob[on] }),
  },
  {
    path: 'jobs.log',
    min: 'viewer',
    scope: 'server',
    input: (f, on) => ({ id: f.instanceJob[on] }),
  },

  { path: 'metrics.server', min: 'viewer', scope: 'server', input: (f, on) => onServer(f, on) },
  { path: 'metrics.instance', min: 'viewer', scope: 'server', input: (f, on) => prod(f, on) },
  { path: 'metrics.fleet', min: 'viewer', scope: 'free', input: () => undefined },
  { path: 'metrics.live', min: 'viewer', scope: 'server', input: (f, on) => onServer(f, on) },

  { path: 'users.list', min: 'admin', userManagement: true, scope: 'free', input: () => ({}) },
  {
    path: 'users.create',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: () => ({
      email: `${unique('u')}@example.com`,
      password: 'new user password 1',
      sendWelcomeEmail: false,
    }),
  },
  {
    path: 'users.update',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId, allowUserManagement: false }),
  },
  {
    path: 'users.setPassword',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId, password: 'target password 2' }),
  },
  {
    path: 'users.sendResetLink',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId }),
  },
  {
    path: 'users.sendEmail',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId, subject: 'Hello', body: 'Hi there' }),
  },
  {
    path: 'users.enableEmailMfa',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId }),
  },
  {
    path: 'users.resetMfa',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: (f) => ({ id: f.targetUserId }),
  },
  {
    path: 'users.remove',
    min: 'admin',
    userManagement: true,
    scope: 'free',
    input: () => ({ id: ghost() }),
  },
  {
    path: 'users.emailHistory',
    min: 'admin',
    userManagement: true,
    scope: 'fleet',
    input: () => ({}),
  },

  { path: 'settings.smtp', min: 'maintainer', scope: 'fleet', input: () => undefined },
  { path: 'settings.quota', min: 'viewer', scope: 'free', input: () => undefined },
  {
    path: 'settings.saveQuota',
    min: 'maintainer',
    scope: 'fleet',
    input: () => ({ maxInstances: null }),
  },
  {
    path: 'settings.saveSmtp',
    min: 'maintainer',
    scope: 'fleet',
    input: () => ({
      host: '127.0.0.1',
      port: 9,
      security: 'none',
      fromAddress: 'ordo@example.com',
    }),
  },
  {
    path: 'settings.testSmtp',
    min: 'maintainer',
    scope: 'fleet',
    input: () => ({ to: 'someone@example.com' }),
  },
  // The Enterprise SSH key lives on each server: a server matter, for Maintainers.
  { path: 'settings.sshKey.get', min: 'maintainer', scope: 'server', input: onServer },
  { path: 'settings.sshKey.generate', min: 'maintainer', scope: 'server', input: onServer },
  { path: 'settings.sshKey.test', min: 'maintainer', scope: 'server', input: onServer },

  { path: 'audit.list', min: 'maintainer', scope: 'fleet', input: () => ({}) },
  { path: 'audit.actions', min: 'maintainer', scope: 'fleet', input: () => undefined },
  { path: 'audit.users', min: 'maintainer', scope: 'fleet', input: () => undefined },

  // Git repositories: reading is reading the fleet; the rest operates the instance. A repository
  // id nobody has: allowed roles get NOT_FOUND (add: the agent is down, BAD_GATEWAY).
  { path: 'repos.list', min: 'viewer', scope: 'server', input: prod },
  { path: 'repos.deliveries', min: 'viewer', scope: 'server', input: prod },
  ...instanceOp('repos.add', { url: 'https://git.example.com/acme/addons.git', branch: 'main' }),
  ...instanceOp('repos.pull', { repoId: '00000000-0000-4000-8000-00000000abcd' }),
  ...instanceOp('repos.remove', { repoId: '00000000-0000-4000-8000-00000000abcd' }),
  ...instanceOp('repos.revealSecret', { repoId: '00000000-0000-4000-8000-00000000abcd' }),

  // Backups: reading the list is reading the fleet; making or deleting one operates the instance.
  { path: 'backups.list', min: 'viewer', scope: 'server', input: prod },
  ...instanceOp('backups.create'),
  ...instanceOp('backups.remove', { backupId: 'b_000000000_0000000000' }),
];

export function caseName(c: MatrixCase): string {
  return c.label === undefined ? c.path : `${c.path} (${c.label})`;
}

export function isAllowed(c: MatrixCase, role: MatrixRole, userManagement: boolean): boolean {
  if (c.min === 'public') return true;
  if (c.userManagement && userManagement) return true;
  return MATRIX_ROLES.indexOf(role) >= MATRIX_ROLES.indexOf(c.min);
}
