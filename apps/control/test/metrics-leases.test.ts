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

    // `a` dies without a word (no release): one interval later its leases have lapsed and
    // `b`'s watch between rounds takes them at once.
    await sleep(INTERVAL_MS + 50);
    expect((await b.watch()).sort()).toEqual([...heldByA].sort());
    // `a` no longer counts as a live poller either, so `b` keeps every server, round after round.
    expect(await b.refresh()).toHaveLength(6);
    expect(await b.refresh()).toHaveLength(6);
  });

  it('a live poller that keeps watching never loses a lease to another', async () => {
    const a = createLeaseKeeper(testDb.db, 'a', INTERVAL_MS);
    const b = createLeaseKeeper(testDb.db, 'b', INTERVAL_MS);
    await a.refresh();
    await b.refresh();
    await a.refresh();
    const heldByA = (await b.refresh(), await a.refresh());
    expect(heldByA).toHaveLength(3);
    // Over three intervals `a` only watches (as between rounds); `b` finds nothing lapsed.
    for (let step = 0; step < 12; step += 1) {
      await sleep(INTERVAL_MS / 4);
      expect(await a.watch()).toEqual([]);
      expect(await b.watch()).toEqual([]);
    }
    expect((await a.refresh()).sort()).toEqual([...heldByA].sort());
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
