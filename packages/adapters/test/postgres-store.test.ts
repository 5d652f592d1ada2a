/**
 * The store conformance suite on Postgres, plus the atomic methods under real parallelism: many pool
 * connections racing on the same rows. Skipped without a Postgres `DATABASE_URL` (failing when `CI=true`).
 */
import { describe, expect, test } from 'bun:test';
import { ZekkaError } from '@zekka/core';
import { postgresTestTarget, runStoreConformance } from '../src/conformance/index.ts';
import {
  givenSession,
  givenUser,
  MINUTE,
  makeMember,
  makeNextToken,
  makeProject,
  makeUser,
  NOW,
} from '../src/conformance/store/fixtures.ts';
import { createPostgresStore } from '../src/postgres/index.ts';
import { postgresHarness } from './support/postgres-harness.ts';

const target = postgresTestTarget();

/** Settles every promise; returns the values and the Zekka error codes of the rejections. */
async function settle<T>(promises: Promise<T>[]): Promise<{ values: T[]; codes: string[] }> {
  const results = await Promise.allSettled(promises);
  const values = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const codes = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason instanceof ZekkaError ? r.reason.code : String(r.reason)] : [],
  );
  return { values, codes };
}

describe.skipIf(target === null)('postgres store', () => {
  const pg = postgresHarness(target);

  runStoreConformance('postgres', async () => ({
    store: await createPostgresStore({ url: pg.url, schema: await pg.emptySchema(), migrate: false }),
  }));

  describe('under parallel connections', () => {
    test('20 parallel creates of one e-mail: exactly one succeeds, 19 are CONFLICT', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      const { values, codes } = await settle(
        Array.from({ length: 20 }, () => store.users.create(makeUser({ email: 'race@example.test' }))),
      );
      expect(values).toHaveLength(1);
      expect(codes).toEqual(Array.from({ length: 19 }, () => 'CONFLICT'));
      expect((await store.users.list({ limit: 50, offset: 0 })).total).toBe(1);
    });

    test('20 parallel rotations of one refresh token: exactly one is rotated, the rest are reuse', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      const user = await givenUser(store);
      const { session, token } = await givenSession(store, user.id);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          store.sessions.rotateRefreshToken(token.tokenHash, makeNextToken(), NOW),
        ),
      );
      expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'reused')).toHaveLength(19);
      // Reuse revoked the session, the rotated one included.
      expect(await store.sessions.findById(session.id)).toMatchObject({ revokedAt: NOW });
    });

    test('parallel demotions, removals and adds never leave a project without an owner', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      for (let round = 0; round < 5; round++) {
        const owners = await Promise.all(Array.from({ length: 4 }, () => givenUser(store)));
        const [first, ...others] = owners;
        if (first === undefined) throw new Error('no owner');
        const project = await store.projects.createWithOwner(makeProject(first.id));
        for (const owner of others)
          await store.members.add(makeMember(project.id, owner.id, { role: 'owner' }));
        const newcomers = await Promise.all(Array.from({ length: 3 }, () => givenUser(store)));

        const outcomes = await Promise.all([
          ...owners.map((o) => store.members.changeRole(project.id, o.id, 'editor').then((r) => r.outcome)),
          ...owners.map((o) => store.members.remove(project.id, o.id)),
          ...newcomers.map((u) => store.members.add(makeMember(project.id, u.id)).then(() => 'added')),
        ]);
        const remaining = (await store.members.list(project.id)).filter((m) => m.role === 'owner');
        expect(remaining.length).toBeGreaterThanOrEqual(1);
        // Four owners, each demoted and removed: the last one standing was refused.
        expect(outcomes).toContain('last_owner');
        expect(outcomes.filter((o) => o === 'added')).toHaveLength(3);
      }
    });

    test('a user deleted while its co-owner is demoted: the project goes, or keeps an owner', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      for (let round = 0; round < 5; round++) {
        const alice = await givenUser(store);
        const bob = await givenUser(store);
        const project = await store.projects.createWithOwner(makeProject(alice.id));
        await store.members.add(makeMember(project.id, bob.id, { role: 'owner' }));

        await Promise.all([
          store.users.delete(alice.id),
          store.members.changeRole(project.id, bob.id, 'editor'),
          store.members.remove(project.id, bob.id),
        ]);
        const survived = await store.projects.findById(project.id);
        if (survived !== null) {
          const owners = (await store.members.list(project.id)).filter((m) => m.role === 'owner');
          expect(owners.map((o) => o.userId)).toEqual([bob.id]);
          expect(survived.ownerId).toBe(bob.id);
        }
      }
    });

    test('parallel recordLoginFailure calls all count', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      const user = await givenUser(store);
      await Promise.all(
        Array.from({ length: 40 }, () => store.users.recordLoginFailure(user.id, NOW, 1000, MINUTE)),
      );
      expect(await store.users.findById(user.id)).toMatchObject({ failedLoginCount: 40, lockedUntil: null });
    });
  });
});
