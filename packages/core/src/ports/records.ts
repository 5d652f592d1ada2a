/**
 * @module records
 * The rows the `Store` reads and writes. Times are epoch milliseconds (UTC); the services turn them into
 * ISO-8601 strings for the API. Both SQLite and Postgres schemas infer exactly these shapes.
 */

import type { UserRole } from '../actor.ts';

export type ProjectRole = 'owner' | 'editor' | 'viewer';
export type ProjectStatus = 'active' | 'archived';
export type OneTimeTokenPurpose = 'email_verification' | 'password_reset';

export interface UserRecord {
  id: string;
  /** Always lower-cased; unique. */
  email: string;
  name: string;
  avatarUrl: string | null;
  role: UserRole;
  passwordHash: string;
  emailVerifiedAt: number | null;
  disabledAt: number | null;
  /** Consecutive failed logins since the last success or lockout. */
  failedLoginCount: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  id: string;
  userId: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: number;
  lastUsedAt: number;
  /** When the session (and so its newest refresh token) stops being usable. */
  expiresAt: number;
  revokedAt: number | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
  tokenHash: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was exchanged for a new one; presenting it again is reuse. */
  rotatedAt: number | null;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 (hex) of the full key. */
  keyHash: string;
  /** The first characters of the key (`zk_` + 6), safe to show in lists. */
  prefix: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface OneTimeTokenRecord {
  tokenHash: string;
  userId: string;
  purpose: OneTimeTokenPurpose;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ProjectRecord {
  id: string;
  name: string;
  description: string | null;
  status: ProjectStatus;
  settings: Record<string, unknown>;
  ownerId: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

export interface MemberRecord {
  projectId: string;
  userId: string;
  role: ProjectRole;
  addedAt: number;
}

/** A member joined with the user's public fields. */
export interface MemberView extends MemberRecord {
  name: string;
  email: string;
}

/** A project as seen by one member. */
export interface ProjectWithRole extends ProjectRecord {
  role: ProjectRole;
}

export type MessageRole = 'user' | 'assistant' | 'system';
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'failed';
export type UsageOutcome = 'complete' | 'stopped' | 'failed';

export interface ConversationRecord {
  id: string;
  projectId: string;
  title: string | null;
  /** The model this conversation uses; `null` means the registry's default. */
  model: string | null;
  agentId: string | null;
  systemPrompt: string | null;
  archived: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** A conversation as one project member sees it, with its message count and last message time. */
export interface ConversationView extends ConversationRecord {
  role: ProjectRole;
  messageCount: number;
  lastMessageAt: number | null;
}

/** A conversation as one of its project's members reaches it: with its project's status. */
export interface ConversationAccess extends ConversationView {
  projectStatus: ProjectStatus;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  /** Denormalised from the conversation, so search and authorization need no join through it. */
  projectId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  /** The model that wrote an assistant message. */
  model: string | null;
  /** The user who wrote a user message; `null` for assistant messages and deleted accounts. */
  authorId: string | null;
  /** Source ids attached to a user message. */
  attachments: string[];
  /** Usage of the call that produced an assistant message. */
  inputTokens: number | null;
  outputTokens: number | null;
  costMicroUsd: number | null;
  createdAt: number;
  updatedAt: number;
}

/** One model call: who, where, which model, every token part, and its cost computed once. */
export interface UsageRecord {
  id: string;
  userId: string | null;
  projectId: string;
  conversationId: string | null;
  agentId: string | null;
  messageId: string | null;
  provider: string;
  model: string;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** `null` when the model has no price (never 0 for "unknown"). */
  costMicroUsd: number | null;
  /** The price-table version the cost was computed with; `null` with a `null` cost. */
  priceVersion: string | null;
  latencyMs: number;
  outcome: UsageOutcome;
  createdAt: number;
}

export interface BudgetRecord {
  projectId: string;
  dailyMicroUsd: number | null;
  monthlyMicroUsd: number | null;
  fallbackModel: string | null;
  updatedAt: number;
}
