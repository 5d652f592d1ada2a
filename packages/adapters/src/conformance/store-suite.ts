/**
 * @module conformance/store-suite
 * The one conformance suite every `Store` adapter runs. It checks each clause of the port's JSDoc once, so a
 * behaviour is specified here and not per adapter. Each test gets a fresh store from the factory; the
 * concurrency cases (`Promise.all`) matter most for adapters with real parallelism, such as Postgres.
 *
 * @example
 * runStoreConformance('sqlite :memory:', async () => ({ store: createSqliteStore({ path: ':memory:' }) }));
 */

import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { Store } from '@zekka/core';
import { describeApiKeys } from './store/api-keys.ts';
import { describeBudgets } from './store/budgets.ts';
import { describeConversations } from './store/conversations.ts';
import type { StoreContext } from './store/fixtures.ts';
import { describeMembers } from './store/members.ts';
import { describeMessageSearch } from './store/message-search.ts';
import { describeMessages } from './store/messages.ts';
import { describeOneTimeTokens } from './store/one-time-tokens.ts';
import { describeProjects } from './store/projects.ts';
import { describeSessions } from './store/sessions.ts';
import { describeUsage } from './store/usage.ts';
import { describeUsers } from './store/users.ts';

/** What a store factory hands the suite: an empty, migrated store, and how to dispose of it. */
export interface StoreHarness {
  store: Store;
  /** Runs after `store.close()`, e.g. to drop a temporary database or directory. */
  cleanup?: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

/** Registers the store conformance tests (bun:test) for one adapter configuration. */
export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    let harness: StoreHarness | undefined;
    const ctx: StoreContext = {
      get store(): Store {
        if (harness === undefined) throw new Error('The store is only available inside a test');
        return harness.store;
      },
    };

    beforeEach(async () => {
      harness = await factory();
    });

    afterEach(async () => {
      const current = harness;
      harness = undefined;
      if (current === undefined) return;
      await current.store.close();
      await current.cleanup?.();
    });

    test('ping resolves on an open store', async () => {
      await expect(ctx.store.ping()).resolves.toBeUndefined();
    });

    describeUsers(ctx);
    describeSessions(ctx);
    describeApiKeys(ctx);
    describeOneTimeTokens(ctx);
    describeProjects(ctx);
    describeMembers(ctx);
    describeConversations(ctx);
    describeMessages(ctx);
    describeMessageSearch(ctx);
    describeUsage(ctx);
    describeBudgets(ctx);
  });
}
