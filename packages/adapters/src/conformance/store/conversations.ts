/**
 * @module conformance/store/conversations
 * `ConversationRepository` cases: membership-scoped views with message stats, visibility of deleted
 * conversations and projects, paging, search and the account-export list.
 */

import { describe, expect, test } from 'bun:test';
import type { ConversationListQuery, ConversationRecord } from '@zekka/core';
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
  makeProject,
  NOW,
  type StoreContext,
} from './fixtures.ts';

export function describeConversations(ctx: StoreContext): void {
  describe('conversations', () => {
    test('create returns the conversation and findById reads it back; unknown ids are null', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      const conversation = makeConversation(project.id, owner.id, {
        title: 'Planning',
        model: 'gpt-4o-mini',
        agentId: 'agent-1',
        systemPrompt: 'Be brief.',
        archived: true,
      });
      expect(await ctx.store.conversations.create(conversation)).toEqual(conversation);
      expect(await ctx.store.conversations.findById(conversation.id)).toEqual(conversation);
      expect(await ctx.store.conversations.findById(crypto.randomUUID())).toBeNull();
    });

    test('create throws CONFLICT for a taken id', async () => {
      const { owner, project, conversation } = await givenConversation(ctx.store);
      await expectConflict(
        ctx.store.conversations.create(makeConversation(project.id, owner.id, { id: conversation.id })),
      );
    });

    test('create throws NOT_FOUND for an unknown or deleted project, and stores nothing', async () => {
      const owner = await givenUser(ctx.store);
      const unknown = makeConversation(crypto.randomUUID(), owner.id);
      await expectCode(ctx.store.conversations.create(unknown), 'NOT_FOUND');
      expect(await ctx.store.conversations.findById(unknown.id)).toBeNull();

      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      await ctx.store.projects.softDelete(project.id, NOW);
      const inDeleted = makeConversation(project.id, owner.id);
      await expectCode(ctx.store.conversations.create(inDeleted), 'NOT_FOUND');
      expect(await ctx.store.conversations.findById(inDeleted.id)).toBeNull();
    });

    test('createdBy is a plain id: a conversation may name an account that does not exist', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      const conversation = makeConversation(project.id, crypto.randomUUID());
      expect(await ctx.store.conversations.create(conversation)).toEqual(conversation);
    });

    test('findForMember gives the member’s role and the message stats', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const viewer = await givenUser(store);
      await store.members.add(makeMember(project.id, viewer.id, { role: 'viewer' }));

      expect(await store.conversations.findForMember(conversation.id, viewer.id)).toEqual({
        ...conversation,
        role: 'viewer',
        messageCount: 0,
        lastMessageAt: null,
        projectStatus: 'active',
      });

      await store.messages.create(makeMessage(conversation, { createdAt: NOW - 2 * MINUTE }));
      await store.messages.create(makeMessage(conversation, { createdAt: NOW }));
      await store.messages.create(makeMessage(conversation, { createdAt: NOW - MINUTE }));
      // A sibling conversation's messages count for the sibling only.
      const sibling = makeConversation(project.id, owner.id);
      await store.conversations.create(sibling);
      await store.messages.create(makeMessage(sibling, { createdAt: NOW + HOUR }));
      expect(await store.conversations.findForMember(conversation.id, owner.id)).toEqual({
        ...conversation,
        // Each message sets updatedAt to its createdAt: the last one written wins, whatever its time.
        updatedAt: NOW - MINUTE,
        role: 'owner',
        messageCount: 3,
        lastMessageAt: NOW,
        projectStatus: 'active',
      });
      // The project's status comes with it (an archived project takes no new messages).
      await store.projects.update(project.id, { status: 'archived', updatedAt: NOW + HOUR });
      expect(await store.conversations.findForMember(conversation.id, viewer.id)).toMatchObject({
        role: 'viewer',
        projectStatus: 'archived',
      });
      expect(await store.conversations.findForMember(sibling.id, owner.id)).toMatchObject({
        projectStatus: 'archived',
      });
    });

    test('the message stats follow deletes: the newest time goes back only when the newest goes', async () => {
      const { store } = ctx;
      const { owner, conversation } = await givenConversation(store);
      const oldest = await store.messages.create(makeMessage(conversation, { createdAt: NOW - 2 * MINUTE }));
      const middle = await store.messages.create(makeMessage(conversation, { createdAt: NOW - MINUTE }));
      const newest = await store.messages.create(makeMessage(conversation, { createdAt: NOW }));
      const stats = async () => {
        const view = await store.conversations.findForMember(conversation.id, owner.id);
        return { messageCount: view?.messageCount, lastMessageAt: view?.lastMessageAt };
      };
      await store.messages.delete(middle.id);
      expect(await stats()).toEqual({ messageCount: 2, lastMessageAt: NOW });
      await store.messages.delete(newest.id);
      expect(await stats()).toEqual({ messageCount: 1, lastMessageAt: NOW - 2 * MINUTE });
      await store.messages.delete(oldest.id);
      expect(await stats()).toEqual({ messageCount: 0, lastMessageAt: null });
      await store.messages.create(makeMessage(conversation, { createdAt: NOW + MINUTE }));
      expect(await stats()).toEqual({ messageCount: 1, lastMessageAt: NOW + MINUTE });
      const page = await store.conversations.listForMember(owner.id, { limit: 10, offset: 0 });
      expect(page.items.find((item) => item.id === conversation.id)).toMatchObject({
        messageCount: 1,
        lastMessageAt: NOW + MINUTE,
      });
    });

    test('findForMember is null for non-members and unknown ids; a null user (system) is an owner', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store);
      const stranger = await givenUser(store);
      expect(await store.conversations.findForMember(conversation.id, stranger.id)).toBeNull();
      // Being a member elsewhere changes nothing: the role is the one in this conversation's project.
      await store.projects.createWithOwner(makeProject(stranger.id));
      expect(await store.conversations.findForMember(conversation.id, stranger.id)).toBeNull();
      expect(await store.conversations.findForMember(crypto.randomUUID(), stranger.id)).toBeNull();
      expect(await store.conversations.findForMember(crypto.randomUUID(), null)).toBeNull();
      expect(await store.conversations.findForMember(conversation.id, null)).toEqual({
        ...conversation,
        role: 'owner',
        messageCount: 0,
        lastMessageAt: null,
        projectStatus: 'active',
      });
    });

    test('a deleted conversation, or one in a deleted project, is invisible; findById still reads it', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const other = await store.conversations.create(makeConversation(project.id, owner.id));

      expect(await store.conversations.softDelete(conversation.id, NOW)).toBe(true);
      expect(await store.conversations.findForMember(conversation.id, owner.id)).toBeNull();
      expect(await store.conversations.findForMember(conversation.id, null)).toBeNull();
      expect(await store.conversations.findById(conversation.id)).toEqual({
        ...conversation,
        deletedAt: NOW,
      });

      await store.projects.softDelete(project.id, NOW);
      expect(await store.conversations.findForMember(other.id, owner.id)).toBeNull();
      expect(await store.conversations.findForMember(other.id, null)).toBeNull();
      expect(await store.conversations.listForMember(owner.id, { limit: 10, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
      expect(await store.conversations.listByCreator(owner.id)).toEqual([]);
      expect(await store.conversations.update(other.id, { title: 'x', updatedAt: NOW })).toBeNull();
      expect(await store.conversations.softDelete(other.id, NOW)).toBe(false);
      expect(await store.conversations.findById(other.id)).toEqual(other);
    });

    test('listForMember lists live conversations of the member’s projects, newest updatedAt first, then id descending', async () => {
      const { store } = ctx;
      const user = await givenUser(store);
      const other = await givenUser(store);
      const mine = await store.projects.createWithOwner(makeProject(user.id));
      const shared = await store.projects.createWithOwner(makeProject(other.id));
      await store.members.add(makeMember(shared.id, user.id, { role: 'viewer' }));
      const foreign = await store.projects.createWithOwner(makeProject(other.id));

      const make = (projectId: string, updatedAt: number, id?: string) =>
        store.conversations.create(
          makeConversation(projectId, user.id, { updatedAt, ...(id ? { id } : {}) }),
        );
      const older = await make(mine.id, NOW - HOUR);
      // Ids compared by code point, as every store sorts them (see the users list case).
      const tieA = await make(mine.id, NOW, 'a-conversation');
      const tieB = await make(shared.id, NOW, 'B-conversation');
      const deleted = await make(mine.id, NOW + HOUR);
      await store.conversations.softDelete(deleted.id, NOW);
      await make(foreign.id, NOW + HOUR);
      await store.messages.create(makeMessage(older, { createdAt: NOW - HOUR }));

      const page = await store.conversations.listForMember(user.id, { limit: 10, offset: 0 });
      expect(page.items.map((c) => c.id)).toEqual([tieA.id, tieB.id, older.id]);
      expect(page.total).toBe(3);
      expect(page.items[1]).toEqual({ ...tieB, role: 'viewer', messageCount: 0, lastMessageAt: null });
      expect(page.items[2]).toEqual({ ...older, role: 'owner', messageCount: 1, lastMessageAt: NOW - HOUR });
    });

    test('listForMember pages with limit and offset and totals every match', async () => {
      const { store } = ctx;
      const { owner, project } = await givenConversation(store, { conversation: { updatedAt: NOW } });
      for (let i = 1; i < 5; i++) {
        await store.conversations.create(makeConversation(project.id, owner.id, { updatedAt: NOW - i }));
      }
      const all = await store.conversations.listForMember(owner.id, { limit: 10, offset: 0 });
      const ids = all.items.map((c) => c.id);
      const page = await store.conversations.listForMember(owner.id, { limit: 2, offset: 1 });
      expect(page.items.map((c) => c.id)).toEqual(ids.slice(1, 3));
      expect(page.total).toBe(5);
      expect(await store.conversations.listForMember(owner.id, { limit: 2, offset: 9 })).toEqual({
        items: [],
        total: 5,
      });
      const stranger = await givenUser(store);
      expect(await store.conversations.listForMember(stranger.id, { limit: 2, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
    });

    test('listForMember filters by project and by case-insensitive title substring, % and _ literal', async () => {
      const { store } = ctx;
      const user = await givenUser(store);
      const first = await store.projects.createWithOwner(makeProject(user.id));
      const second = await store.projects.createWithOwner(makeProject(user.id));
      const make = (projectId: string, title: string | null, updatedAt: number) =>
        store.conversations.create(makeConversation(projectId, user.id, { title, updatedAt }));
      const roadmap = await make(first.id, 'Roadmap Q3', NOW);
      const review = await make(second.id, 'Review of the ROADMAP', NOW - 1);
      const pct = await make(first.id, 'Growth 100% plan', NOW - 2);
      const under = await make(second.id, 'snake_case names', NOW - 3);
      await make(first.id, 'Growth 1000 plan', NOW - 4);
      await make(second.id, 'snakeXcase names', NOW - 5);
      await make(first.id, null, NOW - 6);

      const list = (query: Omit<ConversationListQuery, 'limit' | 'offset'>) =>
        store.conversations.listForMember(user.id, { limit: 10, offset: 0, ...query });
      const bySearch = await list({ search: 'roadmap' });
      expect(bySearch.items.map((c) => c.id)).toEqual([roadmap.id, review.id]);
      expect(bySearch.total).toBe(2);
      expect((await list({ search: 'roadmap', projectId: second.id })).items.map((c) => c.id)).toEqual([
        review.id,
      ]);
      expect((await list({ projectId: first.id })).total).toBe(4);
      expect((await list({ search: '0%' })).items.map((c) => c.id)).toEqual([pct.id]);
      expect((await list({ search: 'e_c' })).items.map((c) => c.id)).toEqual([under.id]);
    });

    test('listByCreator gives the user’s live conversations, oldest first', async () => {
      const { store } = ctx;
      const user = await givenUser(store);
      const other = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(user.id));
      await store.members.add(makeMember(project.id, other.id, { role: 'editor' }));
      const later = await store.conversations.create(
        makeConversation(project.id, user.id, { createdAt: NOW - HOUR }),
      );
      const earlier = await store.conversations.create(
        makeConversation(project.id, user.id, { createdAt: NOW - 2 * HOUR }),
      );
      const deleted = await store.conversations.create(makeConversation(project.id, user.id));
      await store.conversations.softDelete(deleted.id, NOW);
      await store.conversations.create(makeConversation(project.id, other.id));

      expect(await store.conversations.listByCreator(user.id)).toEqual([earlier, later]);
      expect(await store.conversations.listByCreator(crypto.randomUUID())).toEqual([]);
    });

    test('update applies only the patch and returns the row; unknown or deleted ones give null', async () => {
      const { store } = ctx;
      const { conversation } = await givenConversation(store, {
        conversation: { systemPrompt: 'Be brief.', model: 'gpt-4o' },
      });
      const patch = { title: null, archived: true, model: null, agentId: 'agent-7', updatedAt: NOW } as const;
      const expected: ConversationRecord = { ...conversation, ...patch };
      expect(await store.conversations.update(conversation.id, patch)).toEqual(expected);
      expect(await store.conversations.findById(conversation.id)).toEqual(expected);
      expect(
        await store.conversations.update(conversation.id, { archived: false, updatedAt: NOW + 1 }),
      ).toEqual({
        ...expected,
        archived: false,
        updatedAt: NOW + 1,
      });
      expect(
        await store.conversations.update(crypto.randomUUID(), { title: 'x', updatedAt: NOW }),
      ).toBeNull();

      await store.conversations.softDelete(conversation.id, NOW + 2);
      expect(
        await store.conversations.update(conversation.id, { title: 'x', updatedAt: NOW + 3 }),
      ).toBeNull();
      expect(await store.conversations.findById(conversation.id)).toMatchObject({ title: null });
    });

    test('softDelete sets deletedAt once; later and unknown deletes return false', async () => {
      const { conversation } = await givenConversation(ctx.store);
      expect(await ctx.store.conversations.softDelete(conversation.id, NOW)).toBe(true);
      expect(await ctx.store.conversations.softDelete(conversation.id, NOW + 1)).toBe(false);
      expect(await ctx.store.conversations.findById(conversation.id)).toMatchObject({ deletedAt: NOW });
      expect(await ctx.store.conversations.softDelete(crypto.randomUUID(), NOW)).toBe(false);
    });
  });
}
