import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AddonsUploaded, InstanceDetail } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../src';
import { createAppBench, type AppBench } from './agent-bench';
import { pythonZip } from './backup-support';
import { authed, expectError, type TestApp } from './instance-support';

let bench: AppBench | undefined;
let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
let addons: string;
/** Unique: instance names are database names, and other test files run alongside. */
const NAME = `ad_${Math.random().toString(36).slice(2, 10)}`;

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));

beforeAll(async () => {
  bench = await createAppBench('ordo-addons', { instances: [{ name: NAME }] });
  ({ dir, root, config, app } = bench);
  addons = join(root, 'instances', NAME, 'addons');
}, 240_000);

afterAll(() => bench?.close());

async function detail(): Promise<InstanceDetail> {
  return InstanceDetail.parse(await (await call(`/v1/instances/${NAME}`)).json());
}

type Entry = { name: string; text: string; mode?: number };

async function send(entries: Entry[]): Promise<Response> {
  const path = join(dir, `addons-${Math.random().toString(36).slice(2)}.zip`);
  await pythonZip(path, entries);
  return call(`/v1/instances/${NAME}/addons`, {
    method: 'POST',
    body: await readFile(path),
    headers: { 'content-type': 'application/zip' },
  });
}

async function uploaded(entries: Entry[]): Promise<AddonsUploaded> {
  const response = await send(entries);
  expect(response.status, await response.clone().text()).toBe(200);
  return AddonsUploaded.parse(await response.json());
}

const manifest = (name: string) => ({ name, text: "{'name': 'x', 'version': '17.0.1.0.0'}" });

async function visible(): Promise<string[]> {
  return (await readdir(addons)).sort();
}

describe('addons upload', () => {
  it('installs modules at the root, nested one level and deeper; ignores other files', async () => {
    const result = await uploaded([
      manifest('root_mod/__manifest__.py'),
      { name: 'root_mod/models/thing.py', text: 'THING = 1\n' },
      manifest('repo/nested_mod/__manifest__.py'),
      manifest('a/b/c/deep_mod/__openerp__.py'),
      { name: 'a/b/c/deep_mod/tests/inner_mod/__manifest__.py', text: '{}' },
      { name: 'README.md', text: 'not a module' },
      { name: 'repo/setup.py', text: 'not a module either' },
    ]);
    expect(result).toEqual({ added: ['deep_mod', 'nested_mod', 'root_mod'], updated: [] });
    expect(await visible()).toEqual(['deep_mod', 'nested_mod', 'root_mod']);
    expect(await readFile(join(addons, 'root_mod', 'models', 'thing.py'), 'utf8')).toBe(
      'THING = 1\n',
    );
    // The outermost module folder wins: the nested one stays inside it.
    expect(await readdir(join(addons, 'deep_mod', 'tests'))).toEqual(['inner_mod']);
  }, 60_000);

  it('replaces an existing module whole and restarts the running instance', async () => {
    const before = await detail();
    expect(before.status).toBe('running');
    const result = await uploaded([
      manifest('root_mod/__manifest__.py'),
      { name: 'root_mod/new.py', text: 'NEW = 1\n' },
    ]);
    expect(result).toEqual({ added: [], updated: ['root_mod'] });
    expect((await readdir(join(addons, 'root_mod'))).sort()).toEqual(['__manifest__.py', 'new.py']);
    const after = await detail();
    expect(after.status).toBe('running');
    expect(after.processes.map((p) => p.pid)).not.toEqual(before.processes.map((p) => p.pid));
  }, 120_000);

  const refusals: [string, Entry[], string | RegExp][] = [
    [
      'a ../ entry',
      [manifest('evil/__manifest__.py'), { name: 'evil/../../../x.py', text: 'x' }],
      /^The archive (entry "evil\/\.\.\/\.\.\/\.\.\/x\.py" climbs out with "\.\."; refused|is unsafe or corrupt: .*)$/,
    ],
    [
      'a symlink entry',
      [
        manifest('evil/__manifest__.py'),
        { name: 'evil/link', text: '/etc/passwd', mode: 0o120777 },
      ],
      'The archive entry "evil/link" is a symbolic link or device; refused',
    ],
    [
      'an archive without modules',
      [{ name: 'README.md', text: 'hello' }],
      'The archive holds no Odoo module (no folder with __manifest__.py)',
    ],
    [
      'a module twice',
      [manifest('a/dup/__manifest__.py'), manifest('b/dup/__manifest__.py')],
      'The archive holds the module "dup" twice',
    ],
  ];

  it.each(refusals)(
    'refuses %s and changes nothing on disk',
    async (_case, entries, message) => {
      const before = await visible();
      await expectError(await send(entries), 400, 'bad_request', message);
      expect(await visible()).toEqual(before);
    },
    60_000,
  );
});
