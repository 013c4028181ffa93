import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLeaseKeeper } from '../src/features/metrics/lease-keeper';
import { createTestDb, type TestDb } from './helpers/test-db';

const INTERVAL_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metric leases', () => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await createTestDb();
    await testDb.db
      .insertInto('servers')
      .values(
        Array.from({ length: 6 }, (_, index) => ({
          name: `s${index}`,
          agent_url: `http://127.0.0.1:${10_000 + index}`,
          token_ciphertext: 'unused',
          token_preview: 'unused',
        })),
      )
      .execute();
  });
  afterEach(() => testDb.drop());

  it('splits the servers, never gives one to two pollers, and takes a dead one’s over', async () => {
    const a = createLeaseKeeper(testDb.db, 'a', INTERVAL_MS);
    const b = createLeaseKeeper(testDb.db, 'b', INTERVAL_MS);
    // Alone, `a` takes everything; once `b` shows up, `a` hands half over.
    expect(await a.refresh()).toHaveLength(6);
    expect(await b.refresh()).toHaveLength(0);
    expect(await a.refresh()).toHaveLength(3);
    const heldByB = await b.refresh();
    const heldByA = await a.refresh();
    expect(heldByB).toHaveLength(3);
    expect(heldByA).toHaveLength(3);
    expect(heldByA.filter((id) => heldByB.includes(id))).toEqual([]);

    // `a` dies without a word (no release): its leases lapse and `b` takes them all at once.
    await sleep(INTERVAL_MS * 1.5 + 50);
    expect(await b.refresh()).toHaveLength(6);
  });

  it('hands every lease back on release', async () => {
    const a = createLeaseKeeper(testDb.db, 'a', INTERVAL_MS);
    const b = createLeaseKeeper(testDb.db, 'b', INTERVAL_MS);
    await a.refresh();
    await b.refresh();
    await a.release();
    expect(await b.refresh()).toHaveLength(6);
  });
});
