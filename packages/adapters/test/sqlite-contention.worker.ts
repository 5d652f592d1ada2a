/**
 * A second connection for `sqlite-store.test.ts`: opens the same database file in its own thread and races
 * the parent's other workers on the atomic methods, reporting what it got.
 */
import { createSqliteStore } from '../src/sqlite/index.ts';

export interface ContentionJob {
  path: string;
  userId: string;
  refreshTokenHash: string;
  rounds: number;
  now: number;
}

export interface ContentionResult {
  rotations: string[];
}

declare const self: Worker;

self.onmessage = async (event: MessageEvent<ContentionJob>) => {
  const { path, userId, refreshTokenHash, rounds, now } = event.data;
  const store = createSqliteStore({ path });
  const rotations: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const next = { tokenHash: Bun.randomUUIDv7(), createdAt: now, expiresAt: now + 60_000, rotatedAt: null };
    rotations.push((await store.sessions.rotateRefreshToken(refreshTokenHash, next, now)).outcome);
    await store.users.recordLoginFailure(userId, now, 1_000_000, 60_000);
  }
  await store.close();
  self.postMessage({ rotations } satisfies ContentionResult);
};
