import { Type } from '@sinclair/typebox';
import { Email, Id, Limit, Offset, PersonName, Timestamp } from './common.ts';

export const UserRole = Type.Union([Type.Literal('user'), Type.Literal('admin')]);

export const AvatarUrl = Type.String({ format: 'uri', maxLength: 2048, pattern: '^https?://' });

/** A user as the API shows it: never a hash or a token. */
export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  role: UserRole,
  emailVerified: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const UserParams = Type.Object({ userId: Id });

export const UserListQuery = Type.Object({
  limit: Type.Optional(Limit()),
  offset: Type.Optional(Offset),
  search: Type.Optional(Type.String({ maxLength: 200 })),
});

export const AdminUserPatch = Type.Object(
  {
    role: Type.Optional(UserRole),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CreateUserInput = Type.Object({
  email: Email,
  name: PersonName,
  password: Type.String({ minLength: 1, maxLength: 128 }),
  role: Type.Optional(UserRole),
});
