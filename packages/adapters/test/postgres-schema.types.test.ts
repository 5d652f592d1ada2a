/**
 * Type-level test: the Postgres tables infer exactly the records of `@zekka/core` — and so exactly what the
 * SQLite tables infer — so repositories of both dialects return rows as records without mapping. `tsc`
 * fails when a column of either schema drifts from its record or from its twin (in either direction).
 */
import { expectTypeOf, test } from 'bun:test';
import type {
  ApiKeyRecord,
  BudgetRecord,
  ConversationRecord,
  MemberRecord,
  MessageRecord,
  OneTimeTokenRecord,
  ProjectRecord,
  RefreshTokenRecord,
  SessionRecord,
  UsageRecord,
  UserRecord,
} from '@zekka/core';
import type * as pg from '../src/postgres/schema.ts';
import type * as sqlite from '../src/sqlite/schema.ts';

test('postgres row types equal the core records', () => {
  expectTypeOf<typeof pg.users.$inferSelect>().toEqualTypeOf<UserRecord>();
  expectTypeOf<typeof pg.sessions.$inferSelect>().toEqualTypeOf<SessionRecord>();
  expectTypeOf<typeof pg.refreshTokens.$inferSelect>().toEqualTypeOf<RefreshTokenRecord>();
  expectTypeOf<typeof pg.apiKeys.$inferSelect>().toEqualTypeOf<ApiKeyRecord>();
  expectTypeOf<typeof pg.oneTimeTokens.$inferSelect>().toEqualTypeOf<OneTimeTokenRecord>();
  expectTypeOf<typeof pg.projects.$inferSelect>().toEqualTypeOf<ProjectRecord>();
  expectTypeOf<typeof pg.projectMembers.$inferSelect>().toEqualTypeOf<MemberRecord>();
  expectTypeOf<typeof pg.conversations.$inferSelect>().toEqualTypeOf<ConversationRecord>();
  expectTypeOf<typeof pg.messages.$inferSelect>().toEqualTypeOf<MessageRecord>();
  expectTypeOf<typeof pg.usageRecords.$inferSelect>().toEqualTypeOf<UsageRecord>();
  expectTypeOf<typeof pg.projectBudgets.$inferSelect>().toEqualTypeOf<BudgetRecord>();
});

test('postgres and sqlite tables infer the same rows and accept the same inserts', () => {
  expectTypeOf<typeof pg.users.$inferSelect>().toEqualTypeOf<typeof sqlite.users.$inferSelect>();
  expectTypeOf<typeof pg.sessions.$inferSelect>().toEqualTypeOf<typeof sqlite.sessions.$inferSelect>();
  expectTypeOf<typeof pg.refreshTokens.$inferSelect>().toEqualTypeOf<
    typeof sqlite.refreshTokens.$inferSelect
  >();
  expectTypeOf<typeof pg.apiKeys.$inferSelect>().toEqualTypeOf<typeof sqlite.apiKeys.$inferSelect>();
  expectTypeOf<typeof pg.oneTimeTokens.$inferSelect>().toEqualTypeOf<
    typeof sqlite.oneTimeTokens.$inferSelect
  >();
  expectTypeOf<typeof pg.projects.$inferSelect>().toEqualTypeOf<typeof sqlite.projects.$inferSelect>();
  expectTypeOf<typeof pg.projectMembers.$inferSelect>().toEqualTypeOf<
    typeof sqlite.projectMembers.$inferSelect
  >();
  expectTypeOf<typeof pg.conversations.$inferSelect>().toEqualTypeOf<
    typeof sqlite.conversations.$inferSelect
  >();
  expectTypeOf<typeof pg.messages.$inferSelect>().toEqualTypeOf<typeof sqlite.messages.$inferSelect>();
  expectTypeOf<typeof pg.usageRecords.$inferSelect>().toEqualTypeOf<
    typeof sqlite.usageRecords.$inferSelect
  >();
  expectTypeOf<typeof pg.projectBudgets.$inferSelect>().toEqualTypeOf<
    typeof sqlite.projectBudgets.$inferSelect
  >();

  // Defaults must agree too: a column optional on insert in one dialect but required in the other would let
  // a caller write code that compiles against one store only.
  expectTypeOf<typeof pg.users.$inferInsert>().toEqualTypeOf<typeof sqlite.users.$inferInsert>();
  expectTypeOf<typeof pg.sessions.$inferInsert>().toEqualTypeOf<typeof sqlite.sessions.$inferInsert>();
  expectTypeOf<typeof pg.refreshTokens.$inferInsert>().toEqualTypeOf<
    typeof sqlite.refreshTokens.$inferInsert
  >();
  expectTypeOf<typeof pg.apiKeys.$inferInsert>().toEqualTypeOf<typeof sqlite.apiKeys.$inferInsert>();
  expectTypeOf<typeof pg.oneTimeTokens.$inferInsert>().toEqualTypeOf<
    typeof sqlite.oneTimeTokens.$inferInsert
  >();
  expectTypeOf<typeof pg.projects.$inferInsert>().toEqualTypeOf<typeof sqlite.projects.$inferInsert>();
  expectTypeOf<typeof pg.projectMembers.$inferInsert>().toEqualTypeOf<
    typeof sqlite.projectMembers.$inferInsert
  >();
  expectTypeOf<typeof pg.conversations.$inferInsert>().toEqualTypeOf<
    typeof sqlite.conversations.$inferInsert
  >();
  expectTypeOf<typeof pg.messages.$inferInsert>().toEqualTypeOf<typeof sqlite.messages.$inferInsert>();
  expectTypeOf<typeof pg.usageRecords.$inferInsert>().toEqualTypeOf<
    typeof sqlite.usageRecords.$inferInsert
  >();
  expectTypeOf<typeof pg.projectBudgets.$inferInsert>().toEqualTypeOf<
    typeof sqlite.projectBudgets.$inferInsert
  >();
});
