/**
 * @module conformance/store/users
 * `UserRepository` cases.
 */

import { describe, expect, test } from 'bun:test';
import type { UserRecord } from '@zekka/core';
import {
  DAY,
  expectConflict,
  givenSession,
  givenUser,
  HOUR,
  MINUTE,
  makeApiKey,
  makeBudget,
  makeConversation,
  makeMember,
  makeMessage,
  makeOneTimeToken,
  makeProject,
  makeUsage,
  makeUser,
  NOW,
  type StoreContext,
} from './fixtures.ts';

export function describeUsers(ctx: StoreContext): void {
  describe('users', () => {
    test('create returns the user and find* read it back; unknown ids and e-mails are null', async () => {
      const user = makeUser({ avatarUrl: 'https://example.test/a.png', emailVerifiedAt: NOW - HOUR });
      expect(await ctx.store.users.create(user)).toEqual(user);
      expect(await ctx.store.users.findById(user.id)).toEqual(user);
      expect(await ctx.store.users.findByEmail(user.email)).toEqual(user);
      expect(await ctx.store.users.findById(crypto.randomUUID())).toBeNull();
      expect(await ctx.store.users.findByEmail('nobody@example.test')).toBeNull();
    });

    test('create throws CONFLICT for a taken e-mail or id, and stores nothing', async () => {
      const user = await givenUser(ctx.store, { email: 'taken@example.test' });
      const sameEmail = makeUser({ email: 'taken@example.test' });
      await expectConflict(ctx.store.users.create(sameEmail));
      expect(await ctx.store.users.findById(sameEmail.id)).toBeNull();
      await expectConflict(ctx.store.users.create(makeUser({ id: user.id })));
    });

    test('update applies only the patch and returns the row; unknown id gives null', async () => {
      const user = await givenUser(ctx.store, { avatarUrl: 'https://example.test/a.png' });
      const updated = await ctx.store.users.update(user.id, {
        name: 'Renamed',
        avatarUrl: null,
        role: 'admin',
        disabledAt: NOW,
        updatedAt: NOW,
      });
      const expected: UserRecord = {
        ...user,
        name: 'Renamed',
        avatarUrl: null,
        role: 'admin',
        disabledAt: NOW,
        updatedAt: NOW,
      };
      expect(updated).toEqual(expected);
      expect(await ctx.store.users.findById(user.id)).toEqual(expected);
      expect(await ctx.store.users.update(crypto.randomUUID(), { name: 'x', updatedAt: NOW })).toBeNull();
    });

    test('list orders by createdAt descending and totals every match across pages', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await givenUser(ctx.store, { createdAt: NOW - i * HOUR }));
      const all = await ctx.store.users.list({ limit: 10, offset: 0 });
      expect(all.items.map((u) => u.id)).toEqual(created.map((u) => u.id));
      expect(all.total).toBe(5);

      const page = await ctx.store.users.list({ limit: 2, offset: 2 });
      expect(page.items.map((u) => u.id)).toEqual(created.slice(2, 4).map((u) => u.id));
      expect(page.total).toBe(5);

      const past = await ctx.store.users.list({ limit: 2, offset: 10 });
      expect(past).toEqual({ items: [], total: 5 });
    });

    // The port leaves the tie-break's collation unstated. SQLite compares bytes; a Postgres database with a
    // linguistic locale (en_US, ICU) would sort "a" next to "A" and put case second. Every store sorts like
    // SQLite, so a page boundary falls in the same place whichever store serves it.
    test('list breaks createdAt ties by id descending, comparing ids by code point', async () => {
      for (const id of ['a-user', 'B-user', 'b-user', 'A-user']) {
        await givenUser(ctx.store, { id, createdAt: NOW });
      }
      const page = await ctx.store.users.list({ limit: 10, offset: 0 });
      expect(page.items.map((u) => u.id)).toEqual(['b-user', 'a-user', 'B-user', 'A-user']);
    });

    test('list search is a case-insensitive substring of e-mail or name', async () => {
      const ada = await givenUser(ctx.store, { email: 'ada@lovelace.test', name: 'Ada', createdAt: NOW });
      const alan = await givenUser(ctx.store, { email: 'turing@example.test', name: 'Alan LOVELACE-fan' });
      await givenUser(ctx.store, { email: 'grace@example.test', name: 'Grace' });
      const found = await ctx.store.users.list({ limit: 10, offset: 0, search: 'LoveLace' });
      expect(found.items.map((u) => u.id)).toEqual([ada.id, alan.id]);
      expect(found.total).toBe(2);
      expect((await ctx.store.users.list({ limit: 1, offset: 0, search: 'lovelace' })).total).toBe(2);
    });

    test('list search treats % and _ literally', async () => {
      const percent = await givenUser(ctx.store, { name: '100% sure' });
      const underscore = await givenUser(ctx.store, { name: 'snake_case' });
      await givenUser(ctx.store, { name: '1000 sure' });
      await givenUser(ctx.store, { name: 'snakeXcase' });
      const byPercent = await ctx.store.users.list({ limit: 10, offset: 0, search: '0%' });
      expect(byPercent.items.map((u) => u.id)).toEqual([percent.id]);
      const byUnderscore = await ctx.store.users.list({ limit: 10, offset: 0, search: 'e_c' });
      expect(byUnderscore.items.map((u) => u.id)).toEqual([underscore.id]);
    });

    test('recordLoginFailure counts, then locks at the threshold and resets the count', async () => {
      const user = await givenUser(ctx.store);
      const lockMs = 15 * MINUTE;
      for (let i = 1; i <= 4; i++) {
        const row = await ctx.store.users.recordLoginFailure(user.id, NOW, 5, lockMs);
        expect(row).toMatchObject({ failedLoginCount: i, lockedUntil: null });
      }
      const locked = await ctx.store.users.recordLoginFailure(user.id, NOW + 1, 5, lockMs);
      expect(locked).toMatchObject({ failedLoginCount: 0, lockedUntil: NOW + 1 + lockMs });
      expect(await ctx.store.users.findById(user.id)).toMatchObject({ failedLoginCount: 0 });

      const again = await ctx.store.users.recordLoginFailure(user.id, NOW + 2, 5, lockMs);
      expect(again).toMatchObject({ failedLoginCount: 1, lockedUntil: NOW + 1 + lockMs });
      expect(await ctx.store.users.recordLoginFailure(crypto.randomUUID(), NOW, 5, lockMs)).toBeNull();
    });

    test('concurrent recordLoginFailure calls never lose a count', async () => {
      const user = await givenUser(ctx.store);
      await Promise.all(
        Array.from({ length: 8 }, () => ctx.store.users.recordLoginFailure(user.id, NOW, 100, MINUTE)),
      );
      expect(await ctx.store.users.findById(user.id)).toMatchObject({ failedLoginCount: 8 });

      // 12 more with a threshold of 10, starting at 8: the 2nd and the 12th call lock (and reset the count).
      const locking = await Promise.all(
        Array.from({ length: 12 }, () => ctx.store.users.recordLoginFailure(user.id, NOW, 10, MINUTE)),
      );
      expect(locking.filter((row) => row?.failedLoginCount === 0)).toHaveLength(2);
      expect(await ctx.store.users.findById(user.id)).toMatchObject({ failedLoginCount: 0 });
    });

    test('delete returns false for an unknown user', async () => {
      expect(await ctx.store.users.delete(crypto.randomUUID())).toBe(false);
    });

    test('delete removes the user with its sessions, keys, tokens, memberships and sole-owned projects', async () => {
      const { store } = ctx;
      const alice = await givenUser(store);
      const bob = await givenUser(store);
      const { session, token } = await givenSession(store, alice.id);
      const bobSession = await givenSession(store, bob.id);
      const key = await store.apiKeys.create(makeApiKey(alice.id));
      const link = makeOneTimeToken(alice.id);
      await store.oneTimeTokens.create(link);

      const solo = await store.projects.createWithOwner(makeProject(alice.id));
      const soloDeleted = await store.projects.createWithOwner(makeProject(alice.id));
      await store.projects.softDelete(soloDeleted.id, NOW);
      // Created by Alice, co-owned with Bob: survives, without Alice.
      const shared = await store.projects.createWithOwner(makeProject(alice.id));
      await store.members.add(makeMember(shared.id, bob.id, { role: 'owner' }));
      // Bob's project where Alice is only an editor: survives, without Alice.
      const bobs = await store.projects.createWithOwner(makeProject(bob.id));
      await store.members.add(makeMember(bobs.id, alice.id, { role: 'editor' }));

      expect(await store.users.delete(alice.id)).toBe(true);

      expect(await store.users.findById(alice.id)).toBeNull();
      expect(await store.sessions.findById(session.id)).toBeNull();
      expect(await store.sessions.findByRefreshToken(token.tokenHash, NOW)).toBeNull();
      expect(await store.apiKeys.findByHash(key.keyHash)).toBeNull();
      expect(await store.oneTimeTokens.consume(link.tokenHash, link.purpose, NOW)).toBeNull();

      expect(await store.projects.findById(solo.id)).toBeNull();
      expect(await store.projects.findById(soloDeleted.id)).toBeNull();
      expect(await store.members.list(solo.id)).toEqual([]);

      expect(await store.projects.findById(shared.id)).not.toBeNull();
      expect((await store.members.list(shared.id)).map((m) => m.userId)).toEqual([bob.id]);
      expect(await store.projects.findForMember(shared.id, bob.id)).toMatchObject({ role: 'owner' });
      expect((await store.members.list(bobs.id)).map((m) => m.userId)).toEqual([bob.id]);

      expect(await store.users.findById(bob.id)).not.toBeNull();
      expect(await store.sessions.findById(bobSession.session.id)).not.toBeNull();
      expect(await store.users.delete(alice.id)).toBe(false);
    });

    // Accounts go, records stay: what the user wrote or spent in projects that survive is kept, unattributed;
    // what lived in the projects that go with the user goes too.
    test('delete takes sole-owned projects with their conversations, messages, usage and budget; keeps the rest unattributed', async () => {
      const { store } = ctx;
      const alice = await givenUser(store);
      const bob = await givenUser(store);

      const solo = await store.projects.createWithOwner(makeProject(alice.id));
      const soloConversation = await store.conversations.create(makeConversation(solo.id, alice.id));
      const soloMessage = await store.messages.create(
        makeMessage(soloConversation, { authorId: alice.id, content: 'private notes' }),
      );
      await store.usage.record(makeUsage(solo.id, { userId: alice.id, conversationId: soloConversation.id }));
      await store.budgets.put(makeBudget(solo.id));

      const bobs = await store.projects.createWithOwner(makeProject(bob.id));
      await store.members.add(makeMember(bobs.id, alice.id, { role: 'editor' }));
      const started = await store.conversations.create(makeConversation(bobs.id, alice.id));
      const written = await store.messages.create(
        makeMessage(started, { authorId: alice.id, content: 'shared notes', createdAt: NOW }),
      );
      const spent = makeUsage(bobs.id, { userId: alice.id, conversationId: started.id, createdAt: NOW });
      await store.usage.record(spent);

      expect(await store.users.delete(alice.id)).toBe(true);

      expect(await store.conversations.findById(soloConversation.id)).toBeNull();
      expect(await store.messages.findById(soloMessage.id)).toBeNull();
      expect(await store.usage.totals(solo.id)).toEqual({
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicroUsd: 0,
      });
      expect(await store.budgets.get(solo.id)).toBeNull();

      // The conversation keeps its creator's id; the message and the usage lose their user.
      expect(await store.conversations.findById(started.id)).toEqual({ ...started, updatedAt: NOW });
      expect(await store.messages.findById(written.id)).toEqual({ ...written, authorId: null });
      expect(await store.usage.totals(bobs.id)).toMatchObject({ calls: 1, costMicroUsd: spent.costMicroUsd });
      expect(await store.usage.listByUser(alice.id)).toEqual([]);
      expect(await store.messages.listByAuthor(alice.id)).toEqual([]);
      const found = await store.messages.search(bob.id, { q: 'notes', limit: 10, offset: 0 });
      expect(found.items.map((hit) => hit.message)).toEqual([{ ...written, authorId: null }]);
    });

    test('a deleted user e-mail can be registered again', async () => {
      const user = await givenUser(ctx.store, { email: 'again@example.test', createdAt: NOW - 2 * DAY });
      await ctx.store.users.delete(user.id);
      await ctx.store.users.create(makeUser({ email: 'again@example.test' }));
      expect(await ctx.store.users.findByEmail('again@example.test')).not.toBeNull();
    });
  });
}
