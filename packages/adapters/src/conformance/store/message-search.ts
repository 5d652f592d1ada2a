/**
 * @module conformance/store/message-search
 * `MessageRepository.search` cases. Both stores match whole words, case-insensitively, without stemming
 * (SQLite FTS5 with unicode61, Postgres `tsvector` with the 'simple' configuration); prefix matching is not
 * part of the contract, so no case relies on it — nor on exact relevance scores, only on their order.
 */

import { describe, expect, test } from 'bun:test';
import type { MessageSearchQuery } from '@zekka/core';
import {
  givenConversation,
  givenUser,
  makeConversation,
  makeMember,
  makeMessage,
  makeProject,
  NOW,
  type StoreContext,
} from './fixtures.ts';

/** Inputs that are operators or broken syntax in some full-text query language. */
const HOSTILE_QUERIES = [
  '"unbalanced',
  'a OR',
  '*',
  'OR',
  'NOT',
  'AND AND',
  'NEAR(fox dog)',
  'content:fox',
  '^fox',
  'fox*',
  '-fox',
  '(((',
  '!',
  '&|:',
  "'); DROP TABLE messages; --",
  '\\',
  '%_',
  '"" ""',
  '🙂',
];

export function describeMessageSearch(ctx: StoreContext): void {
  describe('message search', () => {
    const search = (userId: string, q: string, query: Partial<MessageSearchQuery> = {}) =>
      ctx.store.messages.search(userId, { q, limit: 20, offset: 0, ...query });

    test('finds messages by word, case-insensitively, with a snippet marking the match', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const fox = await store.messages.create(
        makeMessage(conversation, { content: 'The quick brown Fox jumps over the lazy dog' }),
      );
      await store.messages.create(makeMessage(conversation, { content: 'Nothing to see here' }));

      const found = await search(owner.id, 'fox');
      expect(found.total).toBe(1);
      expect(found.items.map((hit) => hit.message)).toEqual([fox]);
      expect(found.items[0]?.snippet).toContain('**Fox**');
      expect((await search(owner.id, 'FOX')).total).toBe(1);
      // Every word must match.
      expect((await search(owner.id, 'lazy fox')).total).toBe(1);
      expect((await search(owner.id, 'lazy cat')).total).toBe(0);
    });

    test('the snippet is a short excerpt of a long message', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const filler = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
      await store.messages.create(makeMessage(conversation, { content: `${filler} needle ${filler}` }));
      const [hit] = (await search(owner.id, 'needle')).items;
      expect(hit?.snippet).toContain('**needle**');
      expect(hit?.snippet.split(/\s+/).length).toBeLessThanOrEqual(40);
    });

    test('ranks better matches first, and equal ones newest first', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const weak = await store.messages.create(
        makeMessage(conversation, {
          content: 'one budget line among many other words about travel plans and meetings',
          createdAt: NOW + 3,
        }),
      );
      const strong = await store.messages.create(
        makeMessage(conversation, { content: 'budget budget budget', createdAt: NOW }),
      );
      const older = await store.messages.create(
        makeMessage(conversation, { content: 'same words', createdAt: NOW + 1 }),
      );
      const newer = await store.messages.create(
        makeMessage(conversation, { content: 'same words', createdAt: NOW + 2 }),
      );

      expect((await search(owner.id, 'budget')).items.map((hit) => hit.message.id)).toEqual([
        strong.id,
        weak.id,
      ]);
      expect((await search(owner.id, 'same words')).items.map((hit) => hit.message.id)).toEqual([
        newer.id,
        older.id,
      ]);
    });

    test('pages with limit and offset and totals every match', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      for (let i = 0; i < 5; i++) {
        await store.messages.create(
          makeMessage(conversation, { content: 'status report', createdAt: NOW + i }),
        );
      }
      const all = await search(owner.id, 'report');
      const page = await search(owner.id, 'report', { limit: 2, offset: 2 });
      expect(page.items.map((hit) => hit.message.id)).toEqual(
        all.items.slice(2, 4).map((hit) => hit.message.id),
      );
      expect(page.total).toBe(5);
      expect(await search(owner.id, 'report', { limit: 2, offset: 9 })).toEqual({ items: [], total: 5 });
    });

    test('only members see a project’s messages, and projectId narrows to one project', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const viewer = await givenUser(store);
      const stranger = await givenUser(store);
      await store.members.add(makeMember(project.id, viewer.id, { role: 'viewer' }));
      const second = await store.projects.createWithOwner(makeProject(owner.id));
      const elsewhere = await store.conversations.create(makeConversation(second.id, owner.id));
      const here = await store.messages.create(makeMessage(conversation, { content: 'shared secret' }));
      const there = await store.messages.create(makeMessage(elsewhere, { content: 'another secret' }));

      expect((await search(owner.id, 'secret')).total).toBe(2);
      expect(
        (await search(owner.id, 'secret', { projectId: second.id })).items.map((hit) => hit.message),
      ).toEqual([there]);
      expect((await search(viewer.id, 'secret')).items.map((hit) => hit.message)).toEqual([here]);
      expect(await search(viewer.id, 'secret', { projectId: second.id })).toEqual({ items: [], total: 0 });
      expect(await search(stranger.id, 'secret')).toEqual({ items: [], total: 0 });

      await store.members.remove(project.id, viewer.id);
      expect(await search(viewer.id, 'secret')).toEqual({ items: [], total: 0 });
    });

    test('messages of deleted conversations and projects are not found', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const other = await store.conversations.create(makeConversation(project.id, owner.id));
      await store.messages.create(makeMessage(conversation, { content: 'hidden treasure' }));
      await store.messages.create(makeMessage(other, { content: 'buried treasure' }));

      await store.conversations.softDelete(conversation.id, NOW);
      expect((await search(owner.id, 'treasure')).items.map((hit) => hit.message.conversationId)).toEqual([
        other.id,
      ]);
      await store.projects.softDelete(project.id, NOW);
      expect(await search(owner.id, 'treasure')).toEqual({ items: [], total: 0 });
    });

    test('the index follows every write: create, complete, delete', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', status: 'streaming', content: 'thinking' }),
      );
      expect((await search(owner.id, 'thinking')).total).toBe(1);

      await store.messages.complete(
        answer.id,
        {
          content: 'penguins live in the south',
          status: 'complete',
          model: 'echo',
          inputTokens: 3,
          outputTokens: 5,
          costMicroUsd: 0,
          updatedAt: NOW,
        },
        null,
      );
      expect((await search(owner.id, 'thinking')).total).toBe(0);
      expect((await search(owner.id, 'penguins')).items.map((hit) => hit.message.content)).toEqual([
        'penguins live in the south',
      ]);

      expect(await store.messages.delete(answer.id)).toBe(true);
      expect(await search(owner.id, 'penguins')).toEqual({ items: [], total: 0 });
    });

    // A cascade (a user's sole-owned project going with the user) deletes messages without the repository:
    // their index entries must go too, or a new message could inherit them (SQLite reuses freed rowids).
    test('messages removed by a cascade leave the index', async () => {
      const { store } = ctx;
      const leaving = await givenConversation(store);
      await store.messages.create(makeMessage(leaving.conversation, { content: 'zebra crossing' }));
      const staying = await givenConversation(store);
      await store.users.delete(leaving.owner.id);
      const giraffe = await store.messages.create(makeMessage(staying.conversation, { content: 'giraffe' }));

      expect(await search(staying.owner.id, 'zebra')).toEqual({ items: [], total: 0 });
      expect((await search(staying.owner.id, 'giraffe')).items.map((hit) => hit.message)).toEqual([giraffe]);
    });

    test('no query string breaks the search: hostile input returns results or nothing, never an error', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const unbalanced = await store.messages.create(
        makeMessage(conversation, { content: 'an unbalanced plan: a or b, fox and dog' }),
      );
      const failures: string[] = [];
      for (const q of HOSTILE_QUERIES) {
        await search(owner.id, q).catch((error: unknown) => failures.push(`${q} → ${String(error)}`));
      }
      expect(failures).toEqual([]);
      expect((await search(owner.id, '"unbalanced')).items.map((hit) => hit.message)).toEqual([unbalanced]);
      expect((await search(owner.id, 'a OR')).items.map((hit) => hit.message)).toEqual([unbalanced]);
      expect(await search(owner.id, '*')).toEqual({ items: [], total: 0 });
    });
  });
}
