// The collector set-ups the load runs against: one collector on SQLite (its own data folder), one
// on PostgreSQL, and two on one PostgreSQL database behind a round-robin balancer. The PostgreSQL
// cluster and the balancer are the collector tests' own (packages/collector/test/postgres-server.ts
// and round-robin.ts, imported, not copied): a throw-away cluster on 127.0.0.1, removed after.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startPostgres, withClient, type PostgresServer } from '../../packages/collector/test/postgres-server.ts';
import { startRoundRobin, type RoundRobin } from '../../packages/collector/test/round-robin.ts';
import { startCollectorProcess, type CollectorProcess } from './collector-process.ts';

/** `--storage` of `pnpm bench --collector-only`: which set-up is measured. */
export type CollectorStorage = 'sqlite' | 'postgres' | 'postgres-x2';
export const COLLECTOR_STORAGES: CollectorStorage[] = ['sqlite', 'postgres', 'postgres-x2'];

/** How each set-up is named in the report. */
export const STORAGE_LABELS: Record<CollectorStorage, string> = {
  sqlite: 'SQLite, one collector',
  postgres: 'PostgreSQL, one collector',
  'postgres-x2': 'PostgreSQL, two collectors (round-robin)',
};

export interface CollectorDeployment {
  /** Where the load goes: the collector, or the balancer in front of the two. */
  url: string;
  processes: CollectorProcess[];
  /** Requests the balancer gave each collector (one collector: all of them, not counted). */
  served(): number[];
  /** Every collector killed with SIGKILL at once, as a crash would; the database stays up. */
  kill(): Promise<void>;
  /** Stats batches per fabric (`ucID/connectionID`) in the database; read after `kill`. */
  storedPerFabric(): Promise<Map<string, number>>;
  /** Stops whatever is left and deletes the data folders and the cluster. */
  remove(): Promise<void>;
}

const STORED_SQL = "SELECT uc_id, connection_id, COUNT(*) AS n FROM stats_batches WHERE kind = 'stats' GROUP BY uc_id, connection_id";

type Row = Record<string, unknown>;
const perFabric = (rows: Row[]): Map<string, number> => new Map(rows.map((r) => [`${String(r.uc_id)}/${String(r.connection_id)}`, Number(r.n)]));

/** Starts one set-up: the collector(s) listening, and for PostgreSQL a fresh cluster and database. */
export async function startDeployment(storage: CollectorStorage): Promise<CollectorDeployment> {
  if (storage === 'sqlite') {
    const collector = await startCollectorProcess();
    return {
      url: collector.url,
      processes: [collector],
      served: () => [],
      kill: () => collector.kill(),
      storedPerFabric: async () => {
        const db = new DatabaseSync(join(collector.dataDir, 'collector.sqlite'), { readOnly: true });
        try {
          return perFabric(db.prepare(STORED_SQL).all());
        } finally {
          db.close();
        }
      },
      remove: async () => {
        await collector.kill().catch(() => {});
        rmSync(collector.dataDir, { recursive: true, force: true });
      },
    };
  }
  const server: PostgresServer = await startPostgres();
  const processes: CollectorProcess[] = [];
  let balancer: RoundRobin | undefined;
  const remove = async (): Promise<void> => {
    await balancer?.close();
    for (const collector of processes) {
      await collector.kill().catch(() => {});
      rmSync(collector.dataDir, { recursive: true, force: true });
    }
    await server.stop();
  };
  try {
    const database = await server.createDatabase();
    // One token key for both, so a token issued by one is good at the other (as in production).
    const env = { SHIMS_COLLECTOR_TOKEN_KEY: randomBytes(32).toString('hex') };
    // Started one after the other: the first creates the tables, the second finds them.
    for (let i = 0; i < (storage === 'postgres-x2' ? 2 : 1); i++) processes.push(await startCollectorProcess(['--database', database], env));
    if (processes.length > 1) balancer = await startRoundRobin(processes.map((p) => p.url));
    return {
      url: balancer?.url ?? processes[0]!.url,
      processes,
      served: () => balancer?.served ?? [],
      kill: async () => {
        await Promise.all(processes.map((p) => p.kill()));
        await balancer?.close();
      },
      storedPerFabric: () => withClient(database, async (c) => perFabric((await c.query<Row>(STORED_SQL)).rows)),
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
