/**
 * @module conformance/store/members
 * `MemberRepository` cases, including the "a project always keeps an owner" rule under concurrency.
 */

import { describe, expect, test } from 'bun:test';
import type { MemberView, ProjectRecord, Store, UserRecord } from '@zekka/core';
import {
  expectCode,
  expectConflict,
  givenUser,
  HOUR,
  makeMember,
  makeProject,
  NOW,
  type StoreContext,
} from './fixtures.ts';

/** A project owned by a new user. */
async function givenProject(store: Store): Promise<{ owner: UserRecord; project: ProjectRecord }> {
  const owner = await givenUser(store, { name: 'Owner' });
  const project = await store.projects.createWithOwner(makeProject(owner.id, { createdAt: NOW - 10 * HOUR }));
  return { owner, project };
}

export function describeMembers(ctx: StoreContext): void {
  describe('members', () => {
    test('add returns the member with name and e-mail; find reads it; non-members are null', async () => {
      const { project } = await givenProject(ctx.store);
      const user = await givenUser(ctx.store, { name: 'Eve', email: 'eve@example.test' });
      const expected: MemberView = {
        projectId: project.id,
        userId: user.id,
        role: 'editor',
        addedAt: NOW,
        name: 'Eve',
        email: 'eve@example.test',
      };
      expect(await ctx.store.members.add(makeMember(project.id, user.id, { addedAt: NOW }))).toEqual(
        expected,
      );
      expect(await ctx.store.members.find(project.id, user.id)).toEqual(expected);
      const stranger = await givenUser(ctx.store);
      expect(await ctx.store.members.find(project.id, stranger.id)).toBeNull();
      expect(await ctx.store.members.find(crypto.randomUUID(), user.id)).toBeNull();
    });

    test('add throws CONFLICT when the user is already a member', async () => {
      const { owner, project } = await givenProject(ctx.store);
      const user = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, user.id));
      await expectConflict(ctx.store.members.add(makeMember(project.id, user.id, { role: 'viewer' })));
      await expectConflict(ctx.store.members.add(makeMember(project.id, owner.id)));
      expect(await ctx.store.members.find(project.id, user.id)).toMatchObject({ role: 'editor' });
    });

    test('add throws NOT_FOUND for a missing project or user, and for a deleted project', async () => {
      const { project } = await givenProject(ctx.store);
      const user = await givenUser(ctx.store);
      await expectCode(ctx.store.members.add(makeMember(crypto.randomUUID(), user.id)), 'NOT_FOUND');
      await expectCode(ctx.store.members.add(makeMember(project.id, crypto.randomUUID())), 'NOT_FOUND');
      await ctx.store.projects.softDelete(project.id, NOW);
      await expectCode(ctx.store.members.add(makeMember(project.id, user.id)), 'NOT_FOUND');
      expect(await ctx.store.members.find(project.id, user.id)).toBeNull();
    });

    test('list puts owners first, then orders by addedAt', async () => {
      const { owner, project } = await givenProject(ctx.store);
      const early = await givenUser(ctx.store);
      const late = await givenUser(ctx.store);
      const coOwner = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, late.id, { role: 'viewer', addedAt: NOW - HOUR }));
      await ctx.store.members.add(
        makeMember(project.id, early.id, { role: 'editor', addedAt: NOW - 5 * HOUR }),
      );
      await ctx.store.members.add(makeMember(project.id, coOwner.id, { role: 'owner', addedAt: NOW }));
      const members = await ctx.store.members.list(project.id);
      expect(members.map((m) => m.userId)).toEqual([owner.id, coOwner.id, early.id, late.id]);
      expect(members[0]).toMatchObject({ role: 'owner', name: 'Owner', email: owner.email });
    });

    test('a soft-deleted project’s members are invisible', async () => {
      const { owner, project } = await givenProject(ctx.store);
      await ctx.store.projects.softDelete(project.id, NOW);
      expect(await ctx.store.members.list(project.id)).toEqual([]);
      expect(await ctx.store.members.find(project.id, owner.id)).toBeNull();
      expect(await ctx.store.members.changeRole(project.id, owner.id, 'editor')).toEqual({
        outcome: 'not_found',
      });
      expect(await ctx.store.members.remove(project.id, owner.id)).toBe('not_found');
    });

    test('changeRole changes a member’s role; unknown members are not_found', async () => {
      const { project } = await givenProject(ctx.store);
      const user = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, user.id, { role: 'viewer' }));
      const result = await ctx.store.members.changeRole(project.id, user.id, 'owner');
      expect(result).toEqual({
        outcome: 'ok',
        member: expect.objectContaining({ projectId: project.id, userId: user.id, role: 'owner' }),
      });
      expect(await ctx.store.members.find(project.id, user.id)).toMatchObject({ role: 'owner' });
      const stranger = await givenUser(ctx.store);
      expect(await ctx.store.members.changeRole(project.id, stranger.id, 'editor')).toEqual({
        outcome: 'not_found',
      });
    });

    test('changeRole refuses to demote the last owner, and allows it while another owner remains', async () => {
      const { owner, project } = await givenProject(ctx.store);
      expect(await ctx.store.members.changeRole(project.id, owner.id, 'editor')).toEqual({
        outcome: 'last_owner',
      });
      expect(await ctx.store.members.find(project.id, owner.id)).toMatchObject({ role: 'owner' });
      // Setting the role an owner already has is not a demotion.
      expect(await ctx.store.members.changeRole(project.id, owner.id, 'owner')).toMatchObject({
        outcome: 'ok',
      });

      const second = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, second.id, { role: 'owner' }));
      expect(await ctx.store.members.changeRole(project.id, owner.id, 'viewer')).toMatchObject({
        outcome: 'ok',
        member: { role: 'viewer' },
      });
      expect(await ctx.store.members.changeRole(project.id, second.id, 'editor')).toEqual({
        outcome: 'last_owner',
      });
    });

    test('of two owners demoting each other concurrently, one stays owner', async () => {
      const { owner, project } = await givenProject(ctx.store);
      const second = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, second.id, { role: 'owner' }));
      const outcomes = await Promise.all([
        ctx.store.members.changeRole(project.id, owner.id, 'editor'),
        ctx.store.members.changeRole(project.id, second.id, 'editor'),
      ]);
      expect(outcomes.map((o) => o.outcome).toSorted()).toEqual(['last_owner', 'ok']);
      const owners = (await ctx.store.members.list(project.id)).filter((m) => m.role === 'owner');
      expect(owners).toHaveLength(1);
    });

    test('remove removes a member and refuses to remove the last owner', async () => {
      const { owner, project } = await givenProject(ctx.store);
      const editor = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, editor.id));
      expect(await ctx.store.members.remove(project.id, editor.id)).toBe('ok');
      expect(await ctx.store.members.find(project.id, editor.id)).toBeNull();
      expect(await ctx.store.projects.findForMember(project.id, editor.id)).toBeNull();
      expect(await ctx.store.members.remove(project.id, editor.id)).toBe('not_found');

      expect(await ctx.store.members.remove(project.id, owner.id)).toBe('last_owner');
      expect(await ctx.store.members.find(project.id, owner.id)).not.toBeNull();

      const second = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, second.id, { role: 'owner' }));
      expect(await ctx.store.members.remove(project.id, owner.id)).toBe('ok');
      expect((await ctx.store.members.list(project.id)).map((m) => m.userId)).toEqual([second.id]);
    });

    test('of two owners removing each other concurrently, one remains', async () => {
      const { owner, project } = await givenProject(ctx.store);
      const second = await givenUser(ctx.store);
      await ctx.store.members.add(makeMember(project.id, second.id, { role: 'owner' }));
      const outcomes = await Promise.all([
        ctx.store.members.remove(project.id, owner.id),
        ctx.store.members.remove(project.id, second.id),
      ]);
      expect(outcomes.toSorted()).toEqual(['last_owner', 'ok']);
      expect(await ctx.store.members.list(project.id)).toHaveLength(1);
    });
  });
}
