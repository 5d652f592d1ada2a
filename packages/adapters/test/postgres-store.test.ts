/**
 * The store conformance suite on Postgres, plus the atomic methods under real parallelism: many pool
 * connections racing on the same rows. Skipped without a Postgres `DATABASE_URL` (failing when `CI=true`).
 */
import { describe, expect, test } from 'bun:test';
import { ZekkaError } from '@zekka/core';
import { postgresTestTarget, runStoreConformance } from '../src/conformance/index.ts';
import {
  givenConversation,
  givenSession,
  givenUser,
  MINUTE,
  makeMember,
  makeMessage,
  makeNextToken,
  makeProject,
  makeUsage,
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

    test('20 parallel messages in one conversation all land, each counted once', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      const { conversation } = await givenConversation(store);
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.messages.create(makeMessage(conversation, { createdAt: NOW + i })),
        ),
      );
      const page = await store.messages.list(conversation.id, { limit: 50, offset: 0 });
      expect(page.total).toBe(20);
      expect(page.items.map((m) => m.id).toSorted()).toEqual(created.map((m) => m.id).toSorted());
      const view = await store.conversations.findForMember(conversation.id, null);
      expect(view).toMatchObject({ messageCount: 20, lastMessageAt: NOW + 19 });
    });

    test('complete racing delete: the usage is stored exactly when the completion was', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      const { project, conversation } = await givenConversation(store);
      let completed = 0;
      for (let round = 0; round < 10; round++) {
        const answer = await store.messages.create(
          makeMessage(conversation, { role: 'assistant', content: '' }),
        );
        const completion = {
          content: `answer ${round}`,
          status: 'complete',
          model: 'echo',
          inputTokens: 1,
          outputTokens: 1,
          costMicroUsd: 1,
          updatedAt: NOW,
        } as const;
        const [stored] = await Promise.all([
          store.messages.complete(
            answer.id,
            completion,
            makeUsage(project.id, { messageId: answer.id, costMicroUsd: 1 }),
          ),
          store.messages.delete(answer.id),
        ]);
        if (stored !== null) completed++;
      }
      expect(await store.usage.totals(project.id)).toMatchObject({
        calls: completed,
        costMicroUsd: completed,
      });
      expect((await store.messages.list(conversation.id, { limit: 50, offset: 0 })).total).toBe(0);
    });

    test('a user deleted while messages are written in its sole-owned project: each lands before, or is NOT_FOUND', async () => {
      const store = await pg.openStore({ poolMax: 20 });
      for (let round = 0; round < 5; round++) {
        const { owner, project, conversation } = await givenConversation(store);
        const editor = await givenUser(store);
        await store.members.add(makeMember(project.id, editor.id, { role: 'editor' }));
        // The owner's writes contend on the user row, the editor's on the project row.
        const { codes } = await settle<unknown>([
          ...Array.from({ length: 6 }, (_, i) =>
            store.messages.create(
              makeMessage(conversation, { authorId: i % 2 === 0 ? owner.id : editor.id }),
            ),
          ),
          store.users.delete(owner.id),
        ]);
        expect(codes.filter((code) => code !== 'NOT_FOUND')).toEqual([]);
        expect(await store.projects.findById(project.id)).toBeNull();
        expect(await store.conversations.findById(conversation.id)).toBeNull();
      }
    });
  });
});
