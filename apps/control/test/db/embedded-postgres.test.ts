import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { captureLogs } from '../helpers/log-capture';

const runsAsRoot = process.getuid?.() === 0;

describe('embedded PostgreSQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-embedded-'));
    // mkdtemp makes the directory 700; as root the cluster runs as "postgres", which must enter it.
    await chmod(dir, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises, serves the ordo database, and restarts on the same data', async () => {
    const { logger } = captureLogs();
    const dataDir = join(dir, 'var');
    const first = await startEmbeddedPostgres({ dataDir, logger });
    let port: number;
    try {
      port = first.port;
      const database = openDatabase(first.url);
      try {
        await sql`CREATE TABLE kept (value text)`.execute(database.db);
        await sql`INSERT INTO kept VALUES ('survives a restart')`.execute(database.db);
        const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(
          database.db,
        );
        expect(rows).toEqual([{ name: 'ordo' }]);
      } finally {
        await database.close();
      }
    } finally {
      await first.stop();
    }

    const pgDir = join(dataDir, 'pg');
    expect((await stat(join(pgDir, 'ordo-password'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(pgDir, 'ordo-port'), 'utf8')).trim()).toBe(String(port));

    const second = await startEmbeddedPostgres({ dataDir, logger });
    try {
      expect(second.port).toBe(port);
      const database = openDatabase(second.url);
      try {
        const { rows } = await sql<{ value: string }>`SELECT value FROM kept`.execute(database.db);
        expect(rows).toEqual([{ value: 'survives a restart' }]);
      } finally {
        await database.close();
      }
    } finally {
      await second.stop();
    }
  }, 90_000);

  it.runIf(runsAsRoot)('names the directory the postgres user cannot enter', async () => {
    const closed = join(dir, 'closed');
    await mkdir(join(closed, 'inside'), { recursive: true });
    await chmod(closed, 0o700);
    await expect(
      startEmbeddedPostgres({ dataDir: join(closed, 'inside'), logger: captureLogs().logger }),
    ).rejects.toThrow(
      `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${closed} (mode 700). Set ORDO_DATA_DIR to a directory outside it (e.g. /var/lib/ordo), or set DATABASE_URL to use an existing PostgreSQL.`,
    );
  });

  it('refuses a cluster whose password file was lost', async () => {
    const dataDir = join(dir, 'orphan');
    await mkdir(join(dataDir, 'pg'), { recursive: true });
    await writeFile(join(dataDir, 'pg', 'PG_VERSION'), '17\n');
    await expect(startEmbeddedPostgres({ dataDir, logger: captureLogs().logger })).rejects.toThrow(
      `${join(dataDir, 'pg')} holds a PostgreSQL cluster but ${join(dataDir, 'pg', 'ordo-password')} is missing or empty, so Ordo cannot connect to it. Restore that file, or move ${join(dataDir, 'pg')} away to start with a new database.`,
    );
  });
});
