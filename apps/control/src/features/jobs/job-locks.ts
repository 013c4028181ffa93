import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';

/**
 * Session-level PostgreSQL advisory locks, one per followed job, held on one dedicated
 * connection: two control processes never follow the same job, and when a process dies its
 * connection (and so its locks) goes with it, so another one takes over.
 */
export interface JobLocks {
  tryLock(jobId: string): Promise<boolean>;
  unlock(jobId: string): Promise<void>;
  /** Releases every lock and gives the connection back. */
  close(): Promise<void>;
}

// The two-key form keeps job locks apart from any other advisory lock on the database.
const lockKey = (jobId: string) => sql`hashtext('ordo.job'), hashtext(${jobId})`;

export async function openJobLocks(db: Kysely<Database>): Promise<JobLocks> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const connection = await new Promise<Kysely<Database>>((resolve, reject) => {
    db.connection()
      .execute(async (conn) => {
        resolve(conn);
        await released;
      })
      .catch(reject);
  });
  let closed = false;

  return {
    async tryLock(jobId) {
      if (closed) return false;
      const { rows } = await sql<{
        locked: boolean;
      }>`SELECT pg_try_advisory_lock(${lockKey(jobId)}) AS locked`.execute(connection);
      return rows[0]?.locked === true;
    },
    async unlock(jobId) {
      if (closed) return;
      await sql`SELECT pg_advisory_unlock(${lockKey(jobId)})`.execute(connection);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await sql`SELECT pg_advisory_unlock_all()`.execute(connection);
      } finally {
        release();
      }
    },
  };
}
