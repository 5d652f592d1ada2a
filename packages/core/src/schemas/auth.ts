import { Type } from '@sinclair/typebox';
import { Email, Id, Password, PersonName, Timestamp } from './common.ts';
import { ExportedConversation, ExportedUsage, Message } from './conversations.ts';
import { Project } from './projects.ts';
import { AvatarUrl, User } from './users.ts';

const OpaqueToken = Type.String({ minLength: 1, maxLength: 512 });

export const RegisterBody = Type.Object({ email: Email, password: Password, name: PersonName });
export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Password,
});
export const RefreshBody = Type.Object({ refreshToken: OpaqueToken });
export const LogoutBody = Type.Object({ refreshToken: Type.Optional(OpaqueToken) });
export const UpdateMeBody = Type.Object({
  name: Type.Optional(PersonName),
  avatarUrl: Type.Optional(Type.Union([AvatarUrl, Type.Null()])),
});
export const DeleteMeBody = Type.Object({ password: Password });
export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password });
export const VerifyEmailBody = Type.Object({ token: OpaqueToken });
export const ForgotPasswordBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
export const ResetPasswordBody = Type.Object({ token: OpaqueToken, newPassword: Password });
export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresAt: Type.Optional(Timestamp),
});

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
});

export const AuthResult = Type.Object({
  user: User,
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
});

export const RegisterResult = Type.Union([
  AuthResult,
  Type.Object({ user: User, requiresEmailVerification: Type.Literal(true) }),
]);

export const Session = Type.Object({
  id: Id,
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export const ApiKey = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});

export const CreatedApiKey = Type.Object({
  apiKey: ApiKey,
  key: Type.String({ description: 'The full key (`zk_…`); shown this once' }),
});

export const UserEnvelope = Type.Object({ user: User });

export const SessionParams = Type.Object({ sessionId: Id });
export const ApiKeyParams = Type.Object({ keyId: Id });

/** `GET /auth/me/export`: every record about the user. */
export const AccountExport = Type.Object({
  exportedAt: Timestamp,
  user: User,
  sessions: Type.Array(Session),
  apiKeys: Type.Array(ApiKey),
  projects: Type.Array(Project),
  memberships: Type.Array(Type.Object({ projectId: Id, role: Type.String(), addedAt: Timestamp })),
  conversations: Type.Array(ExportedConversation, { description: 'Conversations the user created' }),
  messages: Type.Array(Message, { description: 'Messages the user wrote' }),
  usage: Type.Array(ExportedUsage, { description: 'Model calls the user made' }),
});
