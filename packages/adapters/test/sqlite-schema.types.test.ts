/**
 * Type-level test: the SQLite tables infer exactly the records of `@zekka/core`, so repositories can return
 * rows as records without mapping. `tsc` fails when a column drifts from its record (in either direction).
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
import type {
  apiKeys,
  conversations,
  messages,
  oneTimeTokens,
  projectBudgets,
  projectMembers,
  projects,
  refreshTokens,
  sessions,
  usageRecords,
  users,
} from '../src/sqlite/schema.ts';

test('sqlite row types equal the core records', () => {
  expectTypeOf<typeof users.$inferSelect>().toEqualTypeOf<UserRecord>();
  expectTypeOf<typeof sessions.$inferSelect>().toEqualTypeOf<SessionRecord>();
  expectTypeOf<typeof refreshTokens.$inferSelect>().toEqualTypeOf<RefreshTokenRecord>();
  expectTypeOf<typeof apiKeys.$inferSelect>().toEqualTypeOf<ApiKeyRecord>();
  expectTypeOf<typeof oneTimeTokens.$inferSelect>().toEqualTypeOf<OneTimeTokenRecord>();
  expectTypeOf<typeof projects.$inferSelect>().toEqualTypeOf<ProjectRecord>();
  expectTypeOf<typeof projectMembers.$inferSelect>().toEqualTypeOf<MemberRecord>();
  expectTypeOf<typeof conversations.$inferSelect>().toEqualTypeOf<ConversationRecord>();
  expectTypeOf<typeof messages.$inferSelect>().toEqualTypeOf<MessageRecord>();
  expectTypeOf<typeof usageRecords.$inferSelect>().toEqualTypeOf<UsageRecord>();
  expectTypeOf<typeof projectBudgets.$inferSelect>().toEqualTypeOf<BudgetRecord>();
});
