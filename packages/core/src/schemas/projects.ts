import { Type } from '@sinclair/typebox';
import { Email, Id, Limit, Offset, Timestamp } from './common.ts';

export const ProjectRole = Type.Union([
  Type.Literal('owner'),
  Type.Literal('editor'),
  Type.Literal('viewer'),
]);
export const ProjectStatus = Type.Union([Type.Literal('active'), Type.Literal('archived')]);

/** Free-form project settings: a JSON object, at most 16 KiB once serialised (checked by the service). */
export const ProjectSettings = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
  description: 'A JSON object of at most 16 KiB',
});

export const ProjectName = Type.String({ minLength: 1, maxLength: 200 });
export const ProjectDescription = Type.String({ maxLength: 2000 });

export const Project = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  status: ProjectStatus,
  settings: ProjectSettings,
  ownerId: Id,
  role: ProjectRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateProjectBody = Type.Object({
  name: ProjectName,
  description: Type.Optional(Type.Union([ProjectDescription, Type.Null()])),
  settings: Type.Optional(ProjectSettings),
});

export const UpdateProjectBody = Type.Object({
  name: Type.Optional(ProjectName),
  description: Type.Optional(Type.Union([ProjectDescription, Type.Null()])),
  settings: Type.Optional(ProjectSettings),
});

export const ProjectListQuery = Type.Object({
  limit: Type.Optional(Limit()),
  offset: Type.Optional(Offset),
  status: Type.Optional(ProjectStatus),
  search: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ProjectStats = Type.Object({
  conversations: Type.Integer(),
  messages: Type.Integer(),
  sources: Type.Integer(),
  agents: Type.Integer(),
  inputTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  costUsd: Type.Number(),
});

export const StatsQuery = Type.Object({
  period: Type.Optional(
    Type.Union([
      Type.Literal('day'),
      Type.Literal('week'),
      Type.Literal('month'),
      Type.Literal('year'),
      Type.Literal('all'),
    ]),
  ),
});

export const Member = Type.Object({
  userId: Id,
  name: Type.String(),
  email: Type.String(),
  role: ProjectRole,
  addedAt: Timestamp,
});

export const AddMemberBody = Type.Object({ email: Email, role: ProjectRole });
export const ChangeMemberRoleBody = Type.Object({ role: ProjectRole });
export const ProjectParams = Type.Object({ projectId: Id });
export const MemberParams = Type.Object({ projectId: Id, userId: Id });
