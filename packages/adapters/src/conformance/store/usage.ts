/**
 * @module conformance/store/usage
 * `UsageRepository` cases: recording, spending windows (from inclusive, to exclusive), totals, exact integer
 * sums, and the account-export list.
 */

import { describe, expect, test } from 'bun:test';
import type { UsageRecord } from '@zekka/core';
import {
  DAY,
  expectCode,
  expectConflict,
  givenConversation,
  givenUser,
  HOUR,
  makeProject,
  makeUsage,
  NOW,
  type StoreContext,
} from './fixtures.ts';

export function describeUsage(ctx: StoreContext): void {
  describe('usage', () => {
    test('record stores the row; listByUser gives the user’s rows, oldest first', async () => {
      const { store } = ctx;
      const { owner, project, conversation } = await givenConversation(store);
      const other = await givenUser(store);
      const later = makeUsage(project.id, {
        userId: owner.id,
        conversationId: conversation.id,
        agentId: 'agent-1',
        cacheWriteTokens: 50,
        reasoningTokens: 120,
        outcome: 'stopped',
        createdAt: NOW,
      });
      const earlier = makeUsage(project.id, {
        userId: owner.id,
        costMicroUsd: null,
        priceVersion: null,
        outcome: 'failed',
        createdAt: NOW - HOUR,
      });
      await store.usage.record(later);
      await store.usage.record(earlier);
      await store.usage.record(makeUsage(project.id, { userId: other.id }));
      await store.usage.record(makeUsage(project.id));

      expect(await store.usage.listByUser(owner.id)).toEqual([earlier, later]);
      expect(await store.usage.listByUser(crypto.randomUUID())).toEqual([]);
    });

    test('record throws CONFLICT for a taken id and NOT_FOUND for an unknown project', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      const usage = makeUsage(project.id);
      await store.usage.record(usage);
      await expectConflict(store.usage.record(makeUsage(project.id, { id: usage.id })));
      await expectCode(store.usage.record(makeUsage(crypto.randomUUID())), 'NOT_FOUND');
    });

    test('spent sums known costs with from <= createdAt < to, for that project only', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      const other = await store.projects.createWithOwner(makeProject(owner.id));
      const from = NOW - DAY;
      const to = NOW;
      const rows: UsageRecord[] = [
        makeUsage(project.id, { createdAt: from - 1, costMicroUsd: 1 }),
        makeUsage(project.id, { createdAt: from, costMicroUsd: 10 }),
        makeUsage(project.id, { createdAt: to - 1, costMicroUsd: 100 }),
        makeUsage(project.id, { createdAt: to - 2, costMicroUsd: null, priceVersion: null }),
        makeUsage(project.id, { createdAt: to, costMicroUsd: 1000 }),
        makeUsage(other.id, { createdAt: from, costMicroUsd: 10_000 }),
      ];
      for (const row of rows) await store.usage.record(row);

      expect(await store.usage.spent(project.id, from, to)).toBe(110);
      expect(await store.usage.spent(project.id, from, to + 1)).toBe(1110);
      expect(await store.usage.spent(project.id, from + 1, to)).toBe(100);
      expect(await store.usage.spent(project.id, to + 1, to + DAY)).toBe(0);
      expect(await store.usage.spent(crypto.randomUUID(), from, to)).toBe(0);
    });

    test('totals count every call and sum tokens and known costs since from (inclusive), or all time', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      const since = NOW - HOUR;
      await store.usage.record(
        makeUsage(project.id, { createdAt: since - 1, inputTokens: 1, outputTokens: 2, costMicroUsd: 3 }),
      );
      await store.usage.record(
        makeUsage(project.id, { createdAt: since, inputTokens: 10, outputTokens: 20, costMicroUsd: 30 }),
      );
      await store.usage.record(
        makeUsage(project.id, {
          createdAt: NOW,
          inputTokens: 100,
          outputTokens: 200,
          costMicroUsd: null,
          priceVersion: null,
        }),
      );

      expect(await store.usage.totals(project.id, since)).toEqual({
        calls: 2,
        inputTokens: 110,
        outputTokens: 220,
        costMicroUsd: 30,
      });
      expect(await store.usage.totals(project.id)).toEqual({
        calls: 3,
        inputTokens: 111,
        outputTokens: 222,
        costMicroUsd: 33,
      });
      expect(await store.usage.totals(crypto.randomUUID())).toEqual({
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicroUsd: 0,
      });
    });

    // Costs near a billion micro-dollars each: the sum passes 2^32 and 2^43, so a 32-bit column, a float
    // accumulator or a driver handing back a string would all show.
    test('10,000 usage rows sum to the exact micro-dollar total, as a number', async () => {
      const { store } = ctx;
      const owner = await givenUser(store);
      const project = await store.projects.createWithOwner(makeProject(owner.id));
      const count = 10_000;
      const cost = (i: number) => 987_654_321 + i;
      let expected = 0;
      for (let i = 0; i < count; i++) expected += cost(i);
      expect(expected).toBe(9_876_593_205_000);

      const batch = 200;
      for (let start = 0; start < count; start += batch) {
        await Promise.all(
          Array.from({ length: batch }, (_, j) =>
            store.usage.record(
              makeUsage(project.id, { costMicroUsd: cost(start + j), createdAt: NOW + start + j }),
            ),
          ),
        );
      }

      const spent = await store.usage.spent(project.id, NOW, NOW + count);
      expect(typeof spent).toBe('number');
      expect(spent).toBe(expected);
      const totals = await store.usage.totals(project.id);
      expect(totals).toEqual({
        calls: count,
        inputTokens: count * 1200,
        outputTokens: count * 300,
        costMicroUsd: expected,
      });
      expect(typeof totals.costMicroUsd).toBe('number');
      expect(typeof totals.calls).toBe('number');
      expect((await store.projects.stats(project.id)).costMicroUsd).toBe(expected);
    }, 60_000);
  });
}
