import type { Pool, PoolClient } from 'pg';
import { StorageFullError } from './storage.js';

/** A conference a write touches: its row is locked first, in one order for every group. */
interface ConferenceKey {
  appID: string;
  conferenceID: string;
}

interface Pending {
  conference: ConferenceKey | undefined;
  work: (client: PoolClient) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

export interface PostgresGroupCommit {
  /**
   * Runs `work` in the next group transaction, on that group's connection; resolves once the
   * transaction is committed. `conference` names the conference row the work updates.
   */
  write<T>(conference: ConferenceKey | undefined, work: (client: PoolClient) => Promise<T>): Promise<T>;
  /** Resolves once every write queued so far has settled. */
  drain(): Promise<void>;
}

/** SQLSTATE disk_full: nothing of the transaction is stored. */
const DISK_FULL = '53100';
/** deadlock_detected, serialization_failure: the write did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;
/** A group this big is committed and the rest wait for the next: one transaction's locks stay short. */
const MAX_GROUP = 256;

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;
export const postgresStorageError = (error: unknown): unknown => (codeOf(error) === DISK_FULL ? new StorageFullError() : error);

/**
 * Group commit for PostgreSQL, as group-commit.ts is for SQLite: a commit waits for a WAL flush,
 * so the writes that arrive while one group commits are run together in the next transaction,
 * each in a savepoint of its own (a failing one is rolled back alone and rejects alone), and every
 * promise settles only after COMMIT returned: nothing is acknowledged before it is durable.
 *
 * Several collectors may write to one database. Each write of a conference locks that
 * conference's row (it moves `last_seen`) before its user's or fabric's, so a group first locks
 * the conference rows of all its writes, sorted: two groups then do not wait for each other in a
 * cycle. A deadlock PostgreSQL still detects (two collectors creating the same two conferences
 * at once, or trimming the log lines at once) rolls back that write alone, which runs again in
 * the next group.
 */
export function createPostgresGroupCommit(pool: Pool): PostgresGroupCommit {
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;
  let scheduled = false;

  function schedule(): void {
    if (running || scheduled || queue.length === 0) return;
    scheduled = true;
    // The writes of this event-loop turn join the group, as in group-commit.ts.
    setImmediate(() => {
      scheduled = false;
      running = (async () => {
        while (queue.length > 0) await runGroup(queue.splice(0, MAX_GROUP));
      })().finally(() => {
        running = undefined;
        schedule();
      });
    });
  }

  async function runGroup(group: Pending[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    // A checked-out client has no error listener of the pool's: a dropped connection would
    // otherwise be an uncaught 'error' event. The failing query rejects on its own.
    const ignore = (): void => {};
    client.on('error', ignore);
    let broken: unknown;
    try {
      await commitGroup(client, group);
    } catch (error) {
      broken = error;
    } finally {
      client.removeListener('error', ignore);
      // A connection that failed outside a write's statements is not given back to the pool.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async function commitGroup(client: PoolClient, group: Pending[]): Promise<void> {
    const done: { item: Pending; value?: unknown; error?: unknown; ok: boolean }[] = [];
    const retry: Pending[] = [];
    try {
      await client.query('BEGIN');
      const keys = [
        ...new Map(group.flatMap((p) => (p.conference ? [[`${p.conference.appID}\n${p.conference.conferenceID}`, p.conference]] : []))).values(),
      ];
      if (keys.length > 0) {
        await client.query(
          `SELECT 1 FROM conferences WHERE (app_id, conference_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
           ORDER BY app_id, conference_id FOR UPDATE`,
          [keys.map((k) => k.appID), keys.map((k) => k.conferenceID)],
        );
      }
      for (const item of group) {
        await client.query('SAVEPOINT write');
        try {
          const value = await item.work(client);
          await client.query('RELEASE SAVEPOINT write');
          done.push({ item, value, ok: true });
        } catch (error) {
          // Fails (and so fails the group) when the connection is gone.
          await client.query('ROLLBACK TO SAVEPOINT write');
          await client.query('RELEASE SAVEPOINT write');
          if (RETRYABLE.has(codeOf(error) ?? '') && ++item.attempts < MAX_ATTEMPTS) retry.push(item);
          else done.push({ item, error: postgresStorageError(error), ok: false });
        }
      }
      // COMMIT of a transaction in error answers ROLLBACK, not an error: never take it for success.
      const result = await client.query('COMMIT');
      if (result.command !== 'COMMIT') throw new Error(`the group transaction was not committed (${result.command})`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      // Nothing of the group is stored: every write of it fails, none is acknowledged.
      const failure = postgresStorageError(error);
      for (const item of group) item.reject(done.find((d) => d.item === item && !d.ok)?.error ?? failure);
      throw error;
    }
    for (const d of done) {
      if (d.ok) d.item.resolve(d.value);
      else d.item.reject(d.error);
    }
    if (retry.length > 0) {
      queue = [...retry, ...queue];
    }
  }

  return {
    write<T>(conference: ConferenceKey | undefined, work: (client: PoolClient) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ conference, work, resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
        schedule();
      });
    },
    async drain(): Promise<void> {
      // Bounded: each pass commits at least one group or finds nothing left to wait for.
      for (let i = 0; i < 10_000 && (running || scheduled || queue.length > 0); i++) {
        await (running ?? new Promise<void>((resolve) => setImmediate(resolve)));
      }
    },
  };
}
