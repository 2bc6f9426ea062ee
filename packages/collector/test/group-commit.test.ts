// Group commit (src/storage/group-commit.ts): writes of one event-loop turn share a transaction,
// each settles only after COMMIT, and one failing write takes nothing of the others with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, expect, it } from 'vitest';
import { createGroupCommit } from '../src/storage/group-commit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database(): { writer: DatabaseSync; reader: DatabaseSync } {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const writer = new DatabaseSync(file);
  writer.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER UNIQUE)');
  return { writer, reader: new DatabaseSync(file) };
}

const rows = (db: DatabaseSync): number[] =>
  db
    .prepare('SELECT x FROM t ORDER BY x')
    .all()
    .map((r) => Number(r.x));

it('commits the writes of one turn together, and settles each only once another connection sees it', async () => {
  const { writer, reader } = database();
  const group = createGroupCommit(writer);
  const seenAtSettle: number[][] = [];
  const writes = [1, 2, 3].map((x) =>
    group.write(() => writer.prepare('INSERT INTO t (x) VALUES (?)').run(x)).then(() => seenAtSettle.push(rows(reader))),
  );
  expect(rows(reader)).toEqual([]); // queued, not yet committed
  await Promise.all(writes);
  // Every write settled after the one COMMIT: each saw all three rows from the other connection.
  expect(seenAtSettle).toEqual([
    [1, 2, 3],
    [1, 2, 3],
    [1, 2, 3],
  ]);
  writer.close();
  reader.close();
});

it('rolls back a failing write alone: the writes beside it are stored and resolve', async () => {
  const { writer, reader } = database();
  const group = createGroupCommit(writer);
  const insert = (x: number): Promise<unknown> => group.write(() => writer.prepare('INSERT INTO t (x) VALUES (?)').run(x));
  const results = await Promise.allSettled([
    insert(1),
    group.write(() => {
      writer.prepare('INSERT INTO t (x) VALUES (?)').run(5); // part of the failing write: rolled back with it
      throw new Error('bad input');
    }),
    insert(1), // a unique violation: refused
    insert(2),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
  expect(rows(reader)).toEqual([1, 2]);
  writer.close();
  reader.close();
});

it('flush commits what is queued at once (before the database closes)', () => {
  const { writer, reader } = database();
  const group = createGroupCommit(writer);
  void group.write(() => writer.prepare('INSERT INTO t (x) VALUES (?)').run(7));
  group.flush();
  expect(rows(reader)).toEqual([7]);
  writer.close();
  reader.close();
});
