/**
 * @module conformance/store/projects
 * `ProjectRepository` cases: membership-scoped reads, paging and search, soft delete.
 */

import { describe, expect, test } from 'bun:test';
import type { ProjectListQuery } from '@zekka/core';
import {
  DAY,
  expectConflict,
  givenConversation,
  givenUser,
  HOUR,
  makeConversation,
  makeMember,
  makeMessage,
  makeProject,
  makeUsage,
  NOW,
  type StoreContext,
} from './fixtures.ts';

export function describeProjects(ctx: StoreContext): void {
  describe('projects', () => {
    // An adapter may cache reads (the SQLite one does); whatever it does, a read issued after a write
    // completed must see it. The reads before each write prime any cache.
    test('reads always reflect the writes that completed before them', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const other = await givenUser(store);
      const project = makeProject(owner.id, { name: 'Before' });
      await store.projects.createWithOwner(project);
      const page = () => store.projects.listForMember(owner.id, { limit: 20, offset: 0 });
      const seen = () => store.projects.findForMember(project.id, other.id);

      expect((await page()).items.map((p) => p.name)).toEqual(['Before']);
      await store.projects.update(project.id, { name: 'After', updatedAt: NOW + 1 });
      expect((await page()).items.map((p) => p.name)).toEqual(['After']);
      expect((await store.projects.findForMember(project.id, owner.id))?.name).toBe('After');

      expect(await seen()).toBeNull();
      await store.members.add(makeMember(project.id, other.id, { role: 'viewer' }));
      expect((await seen())?.role).toBe('viewer');
      await store.members.changeRole(project.id, other.id, 'editor');
      expect((await seen())?.role).toBe('editor');
      await store.members.remove(project.id, other.id);
      expect(await seen()).toBeNull();

      const returned = await page();
      (returned.items[0] as { settings: Record<string, unknown> }).settings.mutated = true;
      expect((await page()).items[0]?.settings).toEqual(project.settings);

      await store.projects.softDelete(project.id, NOW + 2);
      expect(await page()).toEqual({ items: [], total: 0 });
      expect(await store.projects.findForMember(project.id, owner.id)).toBeNull();
    });

    test('createWithOwner stores the project and its owner membership', async () => {
      const owner = await givenUser(ctx.store, { name: 'Olive', email: 'olive@example.test' });
      const project = makeProject(owner.id, {
        description: 'Agents that read papers',
        settings: { model: 'echo', nested: { temperature: 0.2, tags: ['a', 'b'] } },
      });
      expect(await ctx.store.projects.createWithOwner(project)).toEqual(project);
      expect(await ctx.store.projects.findById(project.id)).toEqual(project);
      expect(await ctx.store.members.list(project.id)).toEqual([
        {
          projectId: project.id,
          userId: owner.id,
          role: 'owner',
          addedAt: project.createdAt,
          name: 'Olive',
          email: 'olive@example.test',
        },
      ]);
      expect(await ctx.store.projects.findById(crypto.randomUUID())).toBeNull();
    });

    test('createWithOwner throws CONFLICT for a taken id', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      await expectConflict(ctx.store.projects.createWithOwner(makeProject(owner.id, { id: project.id })));
    });

    test('findForMember gives the project with the role, and null for non-members or deleted projects', async () => {
      const owner = await givenUser(ctx.store);
      const viewer = await givenUser(ctx.store);
      const stranger = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      await ctx.store.members.add(makeMember(project.id, viewer.id, { role: 'viewer' }));

      expect(await ctx.store.projects.findForMember(project.id, owner.id)).toEqual({
        ...project,
        role: 'owner',
      });
      expect(await ctx.store.projects.findForMember(project.id, viewer.id)).toEqual({
        ...project,
        role: 'viewer',
      });
      expect(await ctx.store.projects.findForMember(project.id, stranger.id)).toBeNull();
      expect(await ctx.store.projects.findForMember(crypto.randomUUID(), owner.id)).toBeNull();

      await ctx.store.projects.softDelete(project.id, NOW);
      expect(await ctx.store.projects.findForMember(project.id, owner.id)).toBeNull();
      expect(await ctx.store.projects.findById(project.id)).toEqual({ ...project, deletedAt: NOW });
    });

    test('listForMember lists the member’s live projects, newest updatedAt first, then id descending', async () => {
      const user = await givenUser(ctx.store);
      const other = await givenUser(ctx.store);
      const older = await ctx.store.projects.createWithOwner(makeProject(user.id, { updatedAt: NOW - DAY }));
      const tieA = await ctx.store.projects.createWithOwner(makeProject(other.id, { updatedAt: NOW }));
      const tieB = await ctx.store.projects.createWithOwner(makeProject(user.id, { updatedAt: NOW }));
      await ctx.store.members.add(makeMember(tieA.id, user.id, { role: 'editor' }));
      const deleted = await ctx.store.projects.createWithOwner(
        makeProject(user.id, { updatedAt: NOW + HOUR }),
      );
      await ctx.store.projects.softDelete(deleted.id, NOW);
      await ctx.store.projects.createWithOwner(makeProject(other.id, { updatedAt: NOW + HOUR }));

      const page = await ctx.store.projects.listForMember(user.id, { limit: 10, offset: 0 });
      const ties = [tieA.id, tieB.id].sort().reverse();
      expect(page.items.map((p) => p.id)).toEqual([...ties, older.id]);
      expect(page.total).toBe(3);
      expect(page.items.find((p) => p.id === tieA.id)).toEqual({ ...tieA, role: 'editor' });
      expect(page.items.find((p) => p.id === older.id)).toEqual({ ...older, role: 'owner' });
    });

    test('listForMember pages with limit and offset and totals every match', async () => {
      const user = await givenUser(ctx.store);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await ctx.store.projects.createWithOwner(makeProject(user.id, { updatedAt: NOW - i }))).id);
      }
      const page = await ctx.store.projects.listForMember(user.id, { limit: 2, offset: 1 });
      expect(page.items.map((p) => p.id)).toEqual(ids.slice(1, 3));
      expect(page.total).toBe(5);
      const last = await ctx.store.projects.listForMember(user.id, { limit: 2, offset: 4 });
      expect(last.items.map((p) => p.id)).toEqual(ids.slice(4));
      expect(last.total).toBe(5);
      expect(await ctx.store.projects.listForMember(user.id, { limit: 2, offset: 9 })).toEqual({
        items: [],
        total: 5,
      });
      const stranger = await givenUser(ctx.store);
      expect(await ctx.store.projects.listForMember(stranger.id, { limit: 2, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
    });

    test('listForMember filters by status and by case-insensitive search of name or description', async () => {
      const user = await givenUser(ctx.store);
      const make = (name: string, description: string | null, updatedAt: number, archived = false) =>
        ctx.store.projects.createWithOwner(
          makeProject(user.id, { name, description, updatedAt, status: archived ? 'archived' : 'active' }),
        );
      const alpha = await make('Alpha Research', null, NOW);
      const beta = await make('Beta', 'notes on alpha decay', NOW - 1);
      const gamma = await make('Gamma', 'unrelated', NOW - 2, true);
      const pct = await make('Budget 100% used', null, NOW - 3);
      const under = await make('snake_case', null, NOW - 4);
      await make('Budget 1000 used', null, NOW - 5);
      await make('snakeXcase', null, NOW - 6);

      const list = (query: Omit<ProjectListQuery, 'limit' | 'offset'>) =>
        ctx.store.projects.listForMember(user.id, { limit: 10, offset: 0, ...query });
      const bySearch = await list({ search: 'ALPHA' });
      expect(bySearch.items.map((p) => p.id)).toEqual([alpha.id, beta.id]);
      expect(bySearch.total).toBe(2);
      expect((await list({ status: 'archived' })).items.map((p) => p.id)).toEqual([gamma.id]);
      expect((await list({ status: 'active', search: 'unrelated' })).total).toBe(0);
      expect((await list({ search: '0%' })).items.map((p) => p.id)).toEqual([pct.id]);
      expect((await list({ search: 'e_c' })).items.map((p) => p.id)).toEqual([under.id]);
      expect((await list({ status: 'active' })).total).toBe(6);
    });

    test('update patches a live project; deleted or unknown projects give null', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id, { description: 'old' }));
      const patch = {
        name: 'Renamed',
        description: null,
        status: 'archived',
        settings: { budget: { dailyMicroUsd: 5_000_000 } },
        updatedAt: NOW,
      } as const;
      const updated = await ctx.store.projects.update(project.id, patch);
      expect(updated).toEqual({ ...project, ...patch });
      expect(await ctx.store.projects.findById(project.id)).toEqual({ ...project, ...patch });
      expect(await ctx.store.projects.update(project.id, { name: 'Only name', updatedAt: NOW + 1 })).toEqual({
        ...project,
        ...patch,
        name: 'Only name',
        updatedAt: NOW + 1,
      });

      await ctx.store.projects.softDelete(project.id, NOW + 2);
      expect(await ctx.store.projects.update(project.id, { name: 'x', updatedAt: NOW + 3 })).toBeNull();
      expect(await ctx.store.projects.findById(project.id)).toMatchObject({ name: 'Only name' });
      expect(await ctx.store.projects.update(crypto.randomUUID(), { name: 'x', updatedAt: NOW })).toBeNull();
    });

    test('softDelete sets deletedAt once; later and unknown deletes return false', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      expect(await ctx.store.projects.softDelete(project.id, NOW)).toBe(true);
      expect(await ctx.store.projects.softDelete(project.id, NOW + 1)).toBe(false);
      expect(await ctx.store.projects.findById(project.id)).toMatchObject({ deletedAt: NOW });
      expect(await ctx.store.projects.softDelete(crypto.randomUUID(), NOW)).toBe(false);
    });

    test('stats of a new project are all zero', async () => {
      const owner = await givenUser(ctx.store);
      const project = await ctx.store.projects.createWithOwner(makeProject(owner.id));
      expect(await ctx.store.projects.stats(project.id)).toEqual({
        conversations: 0,
        messages: 0,
        sources: 0,
        agents: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicroUsd: 0,
      });
    });

    test('stats count live conversations and their messages, and usage since a time', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const second = await store.conversations.create(makeConversation(project.id, owner.id));
      const deleted = await store.conversations.create(makeConversation(project.id, owner.id));
      for (const target of [conversation, conversation, second, deleted]) {
        await store.messages.create(makeMessage(target));
      }
      await store.conversations.softDelete(deleted.id, NOW);
      const elsewhere = await givenConversation(store);
      await store.messages.create(makeMessage(elsewhere.conversation));

      const since = NOW - HOUR;
      const usage = (createdAt: number, inputTokens: number, costMicroUsd: number | null) =>
        store.usage.record(
          makeUsage(project.id, { createdAt, inputTokens, outputTokens: inputTokens * 2, costMicroUsd }),
        );
      await usage(since - 1, 1, 5);
      await usage(since, 10, 50);
      await usage(NOW, 100, null);
      // Usage of a deleted conversation still counts: it was spent.
      await store.usage.record(
        makeUsage(project.id, {
          conversationId: deleted.id,
          createdAt: NOW,
          inputTokens: 1000,
          outputTokens: 0,
        }),
      );
      await store.usage.record(makeUsage(elsewhere.project.id, { createdAt: NOW }));

      const counts = { conversations: 2, messages: 3, sources: 0, agents: 0 };
      expect(await store.projects.stats(project.id, since)).toEqual({
        ...counts,
        inputTokens: 1110,
        outputTokens: 220,
        costMicroUsd: 50 + 360,
      });
      expect(await store.projects.stats(project.id)).toEqual({
        ...counts,
        inputTokens: 1111,
        outputTokens: 222,
        costMicroUsd: 5 + 50 + 360,
      });
      expect(await store.projects.stats(project.id, NOW + 1)).toEqual({
        ...counts,
        inputTokens: 0,
        outputTokens: 0,
        costMicroUsd: 0,
      });
    });
  });
}
