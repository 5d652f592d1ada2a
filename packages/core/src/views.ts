/**
 * @module views
 * Records → API shapes. The only place that decides which stored fields a client sees.
 */
import type {
  ApiKeyRecord,
  MemberView,
  ProjectRecord,
  ProjectRole,
  SessionRecord,
  UserRecord,
} from './ports/records.ts';
import { iso, isoOrNull } from './support/time.ts';
import type { ApiKey, Member, Project, Session, User } from './types.ts';

export function toUser(user: UserRecord): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    avatarUrl: user.avatarUrl,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    disabled: user.disabledAt !== null,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  };
}

export function toSession(session: SessionRecord, currentSessionId: string | undefined): Session {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastUsedAt: iso(session.lastUsedAt),
    expiresAt: iso(session.expiresAt),
    userAgent: session.userAgent,
    ip: session.ip,
    current: session.id === currentSessionId,
  };
}

export function toApiKey(key: ApiKeyRecord): ApiKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: iso(key.createdAt),
    expiresAt: isoOrNull(key.expiresAt),
    lastUsedAt: isoOrNull(key.lastUsedAt),
  };
}

export function toProject(project: ProjectRecord, role: ProjectRole): Project {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    status: project.status,
    settings: project.settings,
    ownerId: project.ownerId,
    role,
    createdAt: iso(project.createdAt),
    updatedAt: iso(project.updatedAt),
  };
}

export function toMember(member: MemberView): Member {
  return {
    userId: member.userId,
    name: member.name,
    email: member.email,
    role: member.role,
    addedAt: iso(member.addedAt),
  };
}

/** Micro-dollars (integers) → a USD number with at most 6 decimals. */
export const microToUsd = (micro: number): number => Math.round(micro) / 1_000_000;
