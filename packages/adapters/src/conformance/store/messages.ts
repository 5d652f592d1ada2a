/**
 * @module conformance/store/messages
 * `MessageRepository` cases: writing (with the conversation's `updatedAt`), offset and keyset paging,
 * completion with its usage, deletion, visibility, and the account-export list. Search has its own file.
 */

import { describe, expect, test } from 'bun:test';
import type { MessageCompletion, MessageRecord } from '@zekka/core';
import {
  expectCode,
  expectConflict,
  givenConversation,
  givenUser,
  HOUR,
  MINUTE,
  makeConversation,
  makeMember,
  makeMessage,
  makeUsage,
  NOW,
  type StoreContext,
} from './fixtures.ts';

const COMPLETION: MessageCompletion = {
  content: 'The answer is 42.',
  status: 'complete',
  model: 'gpt-4o-mini',
  inputTokens: 1200,
  outputTokens: 300,
  costMicroUsd: 360,
  updatedAt: NOW,
};

export function describeMessages(ctx: StoreContext): void {
  describe('messages', () => {
    test('create returns the message, findById reads it back, and the conversation’s updatedAt is its createdAt', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const message = makeMessage(conversation, {
        authorId: owner.id,
        attachments: ['source-1', 'source-2'],
        createdAt: NOW + MINUTE,
        updatedAt: NOW + MINUTE,
      });
      expect(await store.messages.create(message)).toEqual(message);
      expect(await store.messages.findById(message.id)).toEqual(message);
      expect(await store.conversations.findById(conversation.id)).toMatchObject({ updatedAt: NOW + MINUTE });

      const answer = makeMessage(conversation, {
        role: 'assistant',
        status: 'streaming',
        content: '',
        model: 'gpt-4o-mini',
        createdAt: NOW + 2 * MINUTE,
      });
      expect(await store.messages.create(answer)).toEqual(answer);
      expect(await store.conversations.findById(conversation.id)).toMatchObject({
        updatedAt: NOW + 2 * MINUTE,
      });
      expect(await store.messages.findById(crypto.randomUUID())).toBeNull();
    });

    test('create throws CONFLICT for a taken id', async () => {
      const { conversation } = await givenConversation(ctx.store);
      const message = await ctx.store.messages.create(makeMessage(conversation));
      await expectConflict(ctx.store.messages.create(makeMessage(conversation, { id: message.id })));
    });

    test('create throws NOT_FOUND for an unknown, deleted or foreign conversation, or an unknown author, and writes nothing', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store, {
        conversation: { updatedAt: NOW - HOUR },
      });
      const attempts = [
        makeMessage({ id: crypto.randomUUID(), projectId: project.id }),
        // The message's project must be its conversation's.
        makeMessage({ id: conversation.id, projectId: crypto.randomUUID() }),
        makeMessage(conversation, { authorId: crypto.randomUUID() }),
      ];
      for (const message of attempts) {
        await expectCode(store.messages.create(message), 'NOT_FOUND');
        expect(await store.messages.findById(message.id)).toBeNull();
      }
      expect(await store.conversations.findById(conversation.id)).toMatchObject({ updatedAt: NOW - HOUR });

      await store.conversations.softDelete(conversation.id, NOW);
      await expectCode(store.messages.create(makeMessage(conversation)), 'NOT_FOUND');
      const other = await store.conversations.create(makeConversation(project.id, owner.id));
      await store.projects.softDelete(project.id, NOW);
      await expectCode(store.messages.create(makeMessage(other)), 'NOT_FOUND');
    });

    test('createMany stores several messages in order, all or none', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const question = makeMessage(conversation, { authorId: owner.id, createdAt: NOW });
      const answer = makeMessage(conversation, { role: 'assistant', content: '', createdAt: NOW + 1 });
      expect(await store.messages.createMany([question, answer])).toEqual([question, answer]);
      expect(await store.messages.findById(answer.id)).toEqual(answer);
      const view = await store.conversations.findForMember(conversation.id, owner.id);
      expect(view).toMatchObject({ updatedAt: NOW + 1, messageCount: 2, lastMessageAt: NOW + 1 });

      // The second one's id is taken: the first one is not kept either.
      const fresh = makeMessage(conversation, { createdAt: NOW + 2 });
      await expectConflict(
        store.messages.createMany([fresh, makeMessage(conversation, { id: question.id })]),
      );
      expect(await store.messages.findById(fresh.id)).toBeNull();
      const page = await store.messages.list(conversation.id, { limit: 10, offset: 0 });
      expect(page.items.map((message) => message.id)).toEqual([question.id, answer.id]);
    });

    test('list pages by offset, oldest first with ties broken by id, and totals the conversation', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      const other = await givenConversation(store);
      await store.messages.create(makeMessage(other.conversation));
      const created: MessageRecord[] = [];
      for (const [createdAt, id] of [
        [NOW + 3, undefined],
        [NOW + 1, 'b-message'],
        [NOW + 1, 'B-message'],
        [NOW, undefined],
        [NOW + 2, undefined],
      ] as const) {
        created.push(
          await store.messages.create(makeMessage(conversation, { createdAt, ...(id ? { id } : {}) })),
        );
      }
      const oldestFirst = [3, 2, 1, 4, 0].map((i) => created[i]?.id as string);

      const all = await store.messages.list(conversation.id, { limit: 10, offset: 0 });
      expect(all.items.map((m) => m.id)).toEqual(oldestFirst);
      expect(all.total).toBe(5);
      const page = await store.messages.list(conversation.id, { limit: 2, offset: 2 });
      expect(page.items.map((m) => m.id)).toEqual(oldestFirst.slice(2, 4));
      expect(page.total).toBe(5);
      expect(await store.messages.list(conversation.id, { limit: 2, offset: 9 })).toEqual({
        items: [],
        total: 5,
      });
      expect(await store.messages.list(crypto.randomUUID(), { limit: 2, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
    });

    test('list before/after gives the messages just before/after the cursor, oldest first, with the full total', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      const ids: string[] = [];
      // Two share a createdAt, so the cursor must order by (createdAt, id), not by time alone.
      for (const createdAt of [NOW, NOW + 1, NOW + 2, NOW + 2, NOW + 3, NOW + 4]) {
        ids.push((await store.messages.create(makeMessage(conversation, { createdAt }))).id);
      }
      const ordered = (await store.messages.list(conversation.id, { limit: 10, offset: 0 })).items.map(
        (m) => m.id,
      );
      const at = (i: number) => ordered[i] as string;

      const before = await store.messages.list(conversation.id, { limit: 2, before: at(3) });
      expect(before).toEqual({ items: expect.any(Array), total: 6 });
      expect(before.items.map((m) => m.id)).toEqual([at(1), at(2)]);
      const after = await store.messages.list(conversation.id, { limit: 2, after: at(2) });
      expect(after.items.map((m) => m.id)).toEqual([at(3), at(4)]);
      expect(after.total).toBe(6);

      expect(
        (await store.messages.list(conversation.id, { limit: 10, before: at(2) })).items.map((m) => m.id),
      ).toEqual([at(0), at(1)]);
      expect(
        (await store.messages.list(conversation.id, { limit: 10, after: at(3) })).items.map((m) => m.id),
      ).toEqual([at(4), at(5)]);
      expect(await store.messages.list(conversation.id, { limit: 3, before: at(0) })).toEqual({
        items: [],
        total: 6,
      });
      expect(await store.messages.list(conversation.id, { limit: 3, after: at(5) })).toEqual({
        items: [],
        total: 6,
      });
      expect(ids.toSorted()).toEqual(ordered.toSorted());
    });

    test('a cursor that is not a message of the conversation is VALIDATION_FAILED, naming the field', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      await store.messages.create(makeMessage(conversation));
      const other = await givenConversation(store);
      const elsewhere = await store.messages.create(makeMessage(other.conversation));

      const unknown = await expectCode(
        store.messages.list(conversation.id, { limit: 5, before: crypto.randomUUID() }),
        'VALIDATION_FAILED',
      );
      expect(unknown.details).toEqual([{ path: '/before', message: expect.any(String) }]);
      const foreign = await expectCode(
        store.messages.list(conversation.id, { limit: 5, after: elsewhere.id }),
        'VALIDATION_FAILED',
      );
      expect(foreign.details).toEqual([{ path: '/after', message: expect.any(String) }]);
    });

    test('recent gives the newest messages, newest first', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      const messages: MessageRecord[] = [];
      for (let i = 0; i < 5; i++) {
        messages.push(await store.messages.create(makeMessage(conversation, { createdAt: NOW + i })));
      }
      expect(await store.messages.recent(conversation.id, 3)).toEqual(messages.slice(2).reverse());
      expect(await store.messages.recent(conversation.id, 10)).toHaveLength(5);
      expect(await store.messages.recent(crypto.randomUUID(), 3)).toEqual([]);
    });

    test('messages of a deleted conversation or project are invisible', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const message = await store.messages.create(makeMessage(conversation, { authorId: owner.id }));
      const other = await store.conversations.create(makeConversation(project.id, owner.id));
      const otherMessage = await store.messages.create(makeMessage(other, { authorId: owner.id }));

      await store.conversations.softDelete(conversation.id, NOW);
      expect(await store.messages.findById(message.id)).toBeNull();
      expect(await store.messages.list(conversation.id, { limit: 5, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
      expect(await store.messages.recent(conversation.id, 5)).toEqual([]);
      expect(await store.messages.listByAuthor(owner.id)).toEqual([otherMessage]);
      expect(await store.messages.delete(message.id)).toBe(false);

      await store.projects.softDelete(project.id, NOW);
      expect(await store.messages.findById(otherMessage.id)).toBeNull();
      expect(await store.messages.list(other.id, { limit: 5, offset: 0 })).toEqual({ items: [], total: 0 });
      expect(await store.messages.listByAuthor(owner.id)).toEqual([]);
    });

    test('complete stores the final message and its usage together', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', status: 'streaming', content: '' }),
      );
      const usage = makeUsage(project.id, {
        userId: owner.id,
        conversationId: conversation.id,
        messageId: answer.id,
        createdAt: NOW,
      });

      const completed = await store.messages.complete(answer.id, COMPLETION, usage);
      const expected: MessageRecord = { ...answer, ...COMPLETION };
      expect(completed).toEqual(expected);
      expect(await store.messages.findById(answer.id)).toEqual(expected);
      expect(await store.usage.listByUser(owner.id)).toEqual([usage]);

      const stopped = { ...COMPLETION, status: 'stopped', costMicroUsd: null } as const;
      expect(await store.messages.complete(answer.id, stopped, null)).toEqual({ ...answer, ...stopped });
      expect(await store.usage.listByUser(owner.id)).toEqual([usage]);
    });

    test('complete of a deleted message returns null and writes nothing', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', content: '' }),
      );
      expect(await store.messages.delete(answer.id)).toBe(true);
      const usage = makeUsage(project.id, { userId: owner.id, messageId: answer.id });
      expect(await store.messages.complete(answer.id, COMPLETION, usage)).toBeNull();
      expect(await store.usage.listByUser(owner.id)).toEqual([]);
      expect((await store.usage.totals(project.id)).calls).toBe(0);
    });

    test('complete is atomic: when the usage cannot be stored, the message is left as it was', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const first = makeUsage(project.id, { userId: owner.id });
      await store.usage.record(first);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', content: '' }),
      );
      await expectConflict(
        store.messages.complete(answer.id, COMPLETION, { ...first, messageId: answer.id }),
      );
      expect(await store.messages.findById(answer.id)).toEqual(answer);
    });

    // The exception to "deleted conversations are invisible": the model ran and its tokens were spent, so the
    // answer and the usage are stored and the project's budget counts them.
    test('complete still stores a generation whose conversation was deleted meanwhile', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', content: '' }),
      );
      await store.conversations.softDelete(conversation.id, NOW);
      const usage = makeUsage(project.id, {
        userId: owner.id,
        messageId: answer.id,
        costMicroUsd: 77,
        createdAt: NOW,
      });
      expect(await store.messages.complete(answer.id, COMPLETION, usage)).toEqual({
        ...answer,
        ...COMPLETION,
      });
      expect(await store.usage.spent(project.id, NOW, NOW + 1)).toBe(77);
    });

    test('complete keeps the usage of an account deleted while its answer was generated, without the user', async () => {
      const { store } = ctx;
      const { project, conversation } = await givenConversation(store);
      const asker = await givenUser(store);
      await store.members.add(makeMember(project.id, asker.id, { role: 'editor' }));
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', content: '' }),
      );
      await store.users.delete(asker.id);
      const usage = makeUsage(project.id, { userId: asker.id, messageId: answer.id, createdAt: NOW });
      expect(await store.messages.complete(answer.id, COMPLETION, usage)).not.toBeNull();
      expect(await store.usage.totals(project.id)).toMatchObject({
        calls: 1,
        costMicroUsd: usage.costMicroUsd,
      });
      expect(await store.usage.listByUser(asker.id)).toEqual([]);
    });

    test('delete removes the message once; unknown ids give false', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      const message = await store.messages.create(makeMessage(conversation));
      expect(await store.messages.delete(message.id)).toBe(true);
      expect(await store.messages.findById(message.id)).toBeNull();
      expect(await store.messages.delete(message.id)).toBe(false);
      expect(await store.messages.delete(crypto.randomUUID())).toBe(false);
      expect((await store.messages.list(conversation.id, { limit: 5, offset: 0 })).total).toBe(0);
    });

    test('delete keeps the usage of the message, unlinked from it', async () => {
      const { store } = ctx;
      const { project, conversation } = await givenConversation(store);
      const answer = await store.messages.create(
        makeMessage(conversation, { role: 'assistant', content: '' }),
      );
      await store.messages.complete(answer.id, COMPLETION, makeUsage(project.id, { messageId: answer.id }));
      expect(await store.messages.delete(answer.id)).toBe(true);
      expect((await store.usage.totals(project.id)).calls).toBe(1);
    });

    test('listByAuthor gives the user’s messages, oldest first', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const other = await givenUser(store);
      const later = await store.messages.create(
        makeMessage(conversation, { authorId: owner.id, createdAt: NOW }),
      );
      const earlier = await store.messages.create(
        makeMessage(conversation, { authorId: owner.id, createdAt: NOW - HOUR }),
      );
      await store.messages.create(makeMessage(conversation, { role: 'assistant', authorId: null }));
      expect(await store.messages.listByAuthor(owner.id)).toEqual([earlier, later]);
      expect(await store.messages.listByAuthor(other.id)).toEqual([]);
    });
  });
}
