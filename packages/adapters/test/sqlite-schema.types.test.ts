/**
 * Type-level test: the SQLite tables infer exactly the records of `@zekka/core`, so repositories can return
 * rows as records without mapping. `tsc` fails when a column drifts from its record (in either direction).
 */
import { expectTypeOf, test } from 'bun:test';
import type {
  ApiKeyRecord,
  MemberRecord,
  OneTimeTokenRecord,
  ProjectRecord,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
} from '@zekka/core';
import type {
  apiKeys,
  oneTimeTokens,
  projectMembers,
  projects,
  refreshTokens,
  sessions,
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
});
