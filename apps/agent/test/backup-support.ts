import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export const run = promisify(execFile);

const ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export async function asSuperuser<T>(
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ ...ADMIN, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CHECKED_TABLES = [
  'res_partner',
  'res_users',
  'ir_attachment',
  'ir_config_parameter',
  'ir_mail_server',
  'ir_cron',
];

/** One hash of the rows of the tables a restore would change, ordered by id. */
export async function databaseChecksum(database: string): Promise<string> {
  return asSuperuser(database, async (client) => {
    const parts: string[] = [];
    for (const table of CHECKED_TABLES) {
      const result = await client.query<{ sum: string | null }>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY id)) AS sum FROM ${table} t`,
      );
      parts.push(`${table}:${result.rows[0]?.sum ?? 'empty'}`);
    }
    return parts.join(',');
  });
}

/** Relative path → sha256 of every file under `dir` (empty when it does not exist). */
export async function treeHashes(dir: string, prefix = ''): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(result, await treeHashes(path, name));
    else
      result[name] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
  }
  return result;
}

/**
 * Writes a ZIP with Python's zipfile, as Odoo's `zip_dir` does (ZIP_DEFLATED, file entries).
 * Each entry's content is a file, inline text or that many zero bytes; `mode` a Unix mode.
 */
export async function pythonZip(
  target: string,
  entries: { name: string; file?: string; text?: string; zeros?: number; mode?: number }[],
): Promise<void> {
  const script = `
import json, sys, zipfile
entries = json.load(open(sys.argv[2]))
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    for e in entries:
        if 'file' in e:
            data = open(e['file'], 'rb').read()
        elif 'zeros' in e:
            data = bytes(e['zeros'])
        else:
            data = e['text'].encode()
        info = zipfile.ZipInfo(e['name'])
        info.compress_type = zipfile.ZIP_DEFLATED
        if e.get('mode') is not None:
            info.external_attr = e['mode'] << 16
        z.writestr(info, data)
`;
  const list = `${target}.entries.json`;
  await writeFile(list, JSON.stringify(entries));
  await run('python3', ['-c', script, target, list]);
  await rm(list);
}

/** Extracts like Odoo's restore: only dump.sql and filestore/ (Python's zipfile). */
export async function pythonExtract(zipPath: string, into: string): Promise<void> {
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = [n for n in z.namelist() if n == 'dump.sql' or n.startswith('filestore/')]
    z.extractall(sys.argv[2], names)
    print(z.namelist()[0])
`;
  const { stdout } = await run('python3', ['-c', script, zipPath, into]);
  if (stdout.trim() !== 'dump.sql') throw new Error(`first entry is ${stdout.trim()}`);
}

/** The ZIP's entry names in order and the bytes of manifest.json. */
export async function zipListing(zipPath: string): Promise<{ names: string[]; manifest: string }> {
  const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({'names': z.namelist(), 'manifest': z.read('manifest.json').decode()}))
`;
  const { stdout } = await run('python3', ['-c', script, zipPath]);
  return JSON.parse(stdout) as { names: string[]; manifest: string };
}
