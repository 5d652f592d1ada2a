/**
 * @module conformance/store/fixtures
 * Small record builders for the store conformance suite. Every builder takes the fields a test cares about
 * and fills the rest with valid, unique values, so a test reads as the situation it sets up.
 */

import { expect } from 'bun:test';
import {
  type ApiKeyRecord,
  type BudgetRecord,
  type ConversationRecord,
  type MemberRecord,
  type MessageRecord,
  type OneTimeTokenRecord,
  type ProjectRecord,
  type RefreshTokenRecord,
  type SessionRecord,
  type Store,
  type UsageRecord,
  type UserRecord,
  ZekkaError,
} from '@zekka/core';

/** A fixed "now" far from the epoch, so `now - x` stays positive and no test depends on the real clock. */
export const NOW = Date.UTC(2030, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The store under test; a fresh one for every test. */
export interface StoreContext {
  readonly store: Store;
}

export const newId = (): string => Bun.randomUUIDv7();

/** A 64-character hex string, the shape of the SHA-256 digests the store keeps. */
export const newHash = (): string => new Bun.CryptoHasher('sha256').update(newId()).digest('hex');

export function makeUser(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = overrides.id ?? newId();
  return {
    id,
    email: `user-${id}@example.test`,
    name: 'Test User',
    avatarUrl: null,
    role: 'user',
    passwordHash: '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA',
    emailVerifiedAt: null,
    disabledAt: null,
    failedLoginCount: 0,
    lockedUntil: null,
    createdAt: NOW - DAY,
    updatedAt: NOW - DAY,
    ...overrides,
  };
}

export function makeSession(userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: newId(),
    userId,
    userAgent: 'conformance/1.0',
    ip: '192.0.2.1',
    createdAt: NOW - HOUR,
    lastUsedAt: NOW - HOUR,
    expiresAt: NOW + 30 * DAY,
    revokedAt: null,
    ...overrides,
  };
}

export function makeRefreshToken(
  sessionId: string,
  overrides: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    tokenHash: newHash(),
    sessionId,
    createdAt: NOW - HOUR,
    expiresAt: NOW + 30 * DAY,
    rotatedAt: null,
    ...overrides,
  };
}

/** The `next` argument of `rotateRefreshToken`: a fresh token that expires `ttl` after `now`. */
export function makeNextToken(now = NOW, ttl = 30 * DAY): Omit<RefreshTokenRecord, 'sessionId'> {
  return { tokenHash: newHash(), createdAt: now, expiresAt: now + ttl, rotatedAt: null };
}

export function makeApiKey(userId: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: newId(),
    userId,
    name: 'CI key',
    keyHash: newHash(),
    prefix: 'zk_abcdef',
    createdAt: NOW - HOUR,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

export function makeOneTimeToken(
  userId: string,
  overrides: Partial<OneTimeTokenRecord> = {},
): OneTimeTokenRecord {
  return {
    tokenHash: newHash(),
    userId,
    purpose: 'email_verification',
    createdAt: NOW - MINUTE,
    expiresAt: NOW + HOUR,
    usedAt: null,
    ...overrides,
  };
}

export function makeProject(ownerId: string, overrides: Partial<ProjectRecord> = {}): ProjectRecord {
  return {
    id: newId(),
    name: 'Project',
    description: null,
    status: 'active',
    settings: {},
    ownerId,
    createdAt: NOW - DAY,
    updatedAt: NOW - DAY,
    deletedAt: null,
    ...overrides,
  };
}

export function makeMember(
  projectId: string,
  userId: string,
  overrides: Partial<MemberRecord> = {},
): MemberRecord {
  return { projectId, userId, role: 'editor', addedAt: NOW - HOUR, ...overrides };
}

export function makeConversation(
  projectId: string,
  createdBy: string,
  overrides: Partial<ConversationRecord> = {},
): ConversationRecord {
  return {
    id: newId(),
    projectId,
    title: 'Conversation',
    model: null,
    agentId: null,
    systemPrompt: null,
    archived: false,
    createdBy,
    createdAt: NOW - HOUR,
    updatedAt: NOW - HOUR,
    deletedAt: null,
    ...overrides,
  };
}

/** A user message in `conversation` (its project copied from it), written by `authorId`. */
export function makeMessage(
  conversation: Pick<ConversationRecord, 'id' | 'projectId'>,
  overrides: Partial<MessageRecord> = {},
): MessageRecord {
  return {
    id: newId(),
    conversationId: conversation.id,
    projectId: conversation.projectId,
    role: 'user',
    content: 'Hello there',
    status: 'complete',
    model: null,
    authorId: null,
    attachments: [],
    inputTokens: null,
    outputTokens: null,
    costMicroUsd: null,
    createdAt: NOW - MINUTE,
    updatedAt: NOW - MINUTE,
    ...overrides,
  };
}

export function makeUsage(projectId: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: newId(),
    userId: null,
    projectId,
    conversationId: null,
    agentId: null,
    messageId: null,
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 1200,
    cacheReadTokens: 200,
    cacheWriteTokens: 0,
    outputTokens: 300,
    reasoningTokens: 0,
    costMicroUsd: 360,
    priceVersion: '2030-01-01',
    latencyMs: 850,
    outcome: 'complete',
    createdAt: NOW - MINUTE,
    ...overrides,
  };
}

export function makeBudget(projectId: string, overrides: Partial<BudgetRecord> = {}): BudgetRecord {
  return {
    projectId,
    dailyMicroUsd: 5_000_000,
    monthlyMicroUsd: 100_000_000,
    fallbackModel: null,
    updatedAt: NOW,
    ...overrides,
  };
}

/** Creates a user and returns it, for tests that only need someone to exist. */
export async function givenUser(store: Store, overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
  return store.users.create(makeUser(overrides));
}

/** Creates a session with its first refresh token; returns both. */
export async function givenSession(
  store: Store,
  userId: string,
  overrides: { session?: Partial<SessionRecord>; token?: Partial<RefreshTokenRecord> } = {},
): Promise<{ session: SessionRecord; token: RefreshTokenRecord }> {
  const session = makeSession(userId, overrides.session);
  const token = makeRefreshToken(session.id, overrides.token);
  await store.sessions.create(session, token);
  return { session, token };
}

/** A project owned by a new user, with one conversation in it; returns all three. */
export async function givenConversation(
  store: Store,
  overrides: { conversation?: Partial<ConversationRecord>; project?: Partial<ProjectRecord> } = {},
): Promise<{ owner: UserRecord; project: ProjectRecord; conversation: ConversationRecord }> {
  const owner = await givenUser(store);
  const project = await store.projects.createWithOwner(makeProject(owner.id, overrides.project));
  const conversation = await store.conversations.create(
    makeConversation(project.id, owner.id, overrides.conversation),
  );
  return { owner, project, conversation };
}

/** Asserts the promise rejects with `ZekkaError('CONFLICT')` that keeps the driver's error as `cause`. */
export async function expectConflict(promise: Promise<unknown>): Promise<void> {
  expect((await expectCode(promise, 'CONFLICT')).cause).toBeDefined();
}

/** Asserts that `promise` rejects with a `ZekkaError` of `code`, and returns it. */
export async function expectCode(promise: Promise<unknown>, code: ZekkaError['code']): Promise<ZekkaError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ZekkaError);
  expect((error as ZekkaError).code).toBe(code);
  return error as ZekkaError;
}
