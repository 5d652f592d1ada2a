/**
 * @module store
 * The persistence port. One repository per domain. There is no general-purpose transaction: every method
 * that must be atomic is atomic by contract (stated on it), and each adapter implements it in its own way —
 * a synchronous transaction on SQLite, a transaction with row locks on Postgres. This keeps dialect
 * differences inside the adapters and makes each race-safe operation explicit.
 *
 * Conventions for every repository:
 * - `find*` returns `null` when nothing matches; it never throws for "not found".
 * - Writes that would violate a uniqueness rule throw `ZekkaError('CONFLICT')`.
 * - Soft-deleted projects are invisible to every method except `projects.findById`.
 * - Lists return `{ items, total }`, where `total` counts every match ignoring `limit`/`offset`.
 * - Times are epoch milliseconds passed in by the caller; adapters never read the clock.
 */

import type { ConversationRepositories } from './conversation-store.ts';
import type {
  ApiKeyRecord,
  MemberRecord,
  MemberView,
  OneTimeTokenPurpose,
  OneTimeTokenRecord,
  ProjectRecord,
  ProjectRole,
  ProjectStatus,
  ProjectWithRole,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
} from './records.ts';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

export interface UserListQuery extends PageQuery {
  /** Case-insensitive substring of e-mail or name. */
  search?: string;
}

export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'name'
    | 'avatarUrl'
    | 'role'
    | 'passwordHash'
    | 'emailVerifiedAt'
    | 'disabledAt'
    | 'failedLoginCount'
    | 'lockedUntil'
  >
> & { updatedAt: number };

export interface UserRepository {
  /** Inserts a user. Throws `CONFLICT` when the (lower-cased) e-mail is taken. */
  create(user: UserRecord): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | null>;
  /** Exact match on the stored (lower-cased) e-mail. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Applies the patch and returns the updated row, or `null` when the user does not exist. */
  update(id: string, patch: UserPatch): Promise<UserRecord | null>;
  /** Ordered by `createdAt` descending, then id. */
  list(query: UserListQuery): Promise<Page<UserRecord>>;
  /**
   * Atomically counts one failed login. When the count reaches `maxFailures`, sets `lockedUntil` to
   * `now + lockMs` and resets the count to 0. Returns the row after the change, or `null` if no such user.
   * Concurrent calls never lose a count.
   */
  recordLoginFailure(
    id: string,
    now: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<UserRecord | null>;
  /**
   * Deletes the user and, atomically with it: its sessions and their refresh tokens, its API keys and
   * one-time tokens, its memberships, and every project in which it is the only owner (hard delete, with
   * those projects' memberships). Returns `false` when the user did not exist.
   */
  delete(id: string): Promise<boolean>;
}

export interface SessionRepository {
  /** Inserts a session together with its first refresh token, atomically. */
  create(session: SessionRecord, refreshToken: RefreshTokenRecord): Promise<SessionRecord>;
  findById(id: string): Promise<SessionRecord | null>;
  /** Sessions neither revoked nor expired at `now`, newest `lastUsedAt` first. */
  listActive(userId: string, now: number): Promise<SessionRecord[]>;
  /** Sets `lastUsedAt` (and `ip`/`userAgent` when given). No-op for unknown ids. */
  touch(id: string, now: number, client?: { ip?: string | null; userAgent?: string | null }): Promise<void>;
  /**
   * Exchanges a refresh token for the next one, atomically:
   * - `rotated`: the token was current, its session active and unexpired; it is now marked rotated, `next`
   *   is stored, the session's `lastUsedAt` is `now` and its `expiresAt` is `next.expiresAt`.
   * - `reused`: the token had already been rotated; the whole session is revoked (if it was not already).
   * - `invalid`: unknown token, expired token, or a revoked or expired session. Nothing changes.
   * Of concurrent calls with the same token, exactly one gets `rotated`.
   */
  rotateRefreshToken(
    tokenHash: string,
    next: Omit<RefreshTokenRecord, 'sessionId'>,
    now: number,
  ): Promise<
    | { outcome: 'rotated'; session: SessionRecord }
    | { outcome: 'reused'; sessionId: string }
    | { outcome: 'invalid' }
  >;
  /** Finds the session of an unrotated, unexpired refresh token, or `null`. */
  findByRefreshToken(tokenHash: string, now: number): Promise<SessionRecord | null>;
  /** Marks a session revoked. Returns `false` when it does not exist or was already revoked. */
  revoke(id: string, now: number): Promise<boolean>;
  /** Revokes every active session of a user except `exceptId`; returns the ids it revoked. */
  revokeAllForUser(userId: string, now: number, exceptId?: string): Promise<string[]>;
}

export interface ApiKeyRepository {
  create(key: ApiKeyRecord): Promise<ApiKeyRecord>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Keys not revoked, newest first (expired keys included, so a user can see them). */
  listByUser(userId: string): Promise<ApiKeyRecord[]>;
  /** Revokes the user's key. Returns `false` if it does not exist, belongs to another user, or was revoked. */
  revoke(id: string, userId: string, now: number): Promise<boolean>;
  touch(id: string, now: number): Promise<void>;
}

export interface OneTimeTokenRepository {
  create(token: OneTimeTokenRecord): Promise<void>;
  /**
   * Marks the token used and returns it, atomically, when it exists, has that purpose, is unused and
   * unexpired at `now`. Otherwise returns `null`. Of concurrent calls exactly one succeeds.
   */
  consume(tokenHash: string, purpose: OneTimeTokenPurpose, now: number): Promise<OneTimeTokenRecord | null>;
  /** Deletes the user's unused tokens of a purpose (an earlier link stops working when a new one is sent). */
  deleteForUser(userId: string, purpose: OneTimeTokenPurpose): Promise<void>;
}

export interface ProjectListQuery extends PageQuery {
  status?: ProjectStatus;
  /** Case-insensitive substring of the name or description. */
  search?: string;
}

export type ProjectPatch = Partial<Pick<ProjectRecord, 'name' | 'description' | 'settings' | 'status'>> & {
  updatedAt: number;
};

/** Counts shown by `GET /projects/:id/stats`; domains not stored yet (sources, agents) count 0. */
export interface ProjectStatsRecord {
  conversations: number;
  messages: number;
  sources: number;
  agents: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

export interface ProjectRepository {
  /** Inserts the project and its owner's membership (`addedAt = project.createdAt`), atomically. */
  createWithOwner(project: ProjectRecord): Promise<ProjectRecord>;
  /** Any project by id, soft-deleted ones included. */
  findById(id: string): Promise<ProjectRecord | null>;
  /** The project with the user's role, or `null` if it is deleted or the user is not a member. */
  findForMember(projectId: string, userId: string): Promise<ProjectWithRole | null>;
  /** The user's projects, newest `updatedAt` first (then id descending). */
  listForMember(userId: string, query: ProjectListQuery): Promise<Page<ProjectWithRole>>;
  /** Applies the patch to a live project; `null` if it does not exist or is deleted. */
  update(id: string, patch: ProjectPatch): Promise<ProjectRecord | null>;
  /** Sets `deletedAt`. Returns `false` if missing or already deleted. */
  softDelete(id: string, now: number): Promise<boolean>;
  /**
   * Live conversations and their messages, and usage totals (tokens, known cost) with `createdAt >= since`
   * (all time when omitted). Conversation and message counts are all-time.
   */
  stats(id: string, since?: number): Promise<ProjectStatsRecord>;
}

export interface MemberRepository {
  /** Members of a live project with their names and e-mails, owners first, then by `addedAt`. */
  list(projectId: string): Promise<MemberView[]>;
  find(projectId: string, userId: string): Promise<MemberView | null>;
  /**
   * Adds a member. Throws `CONFLICT` when the user is already a member, and `NOT_FOUND` when the project
   * (or the user) does not exist or the project is deleted.
   */
  add(member: MemberRecord): Promise<MemberView>;
  /**
   * Changes a member's role, atomically refusing to demote the last owner.
   * Returns `not_found` when the user is not a member; `last_owner` when the change would leave no owner.
   */
  changeRole(
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<{ outcome: 'ok'; member: MemberView } | { outcome: 'not_found' } | { outcome: 'last_owner' }>;
  /** Removes a member, atomically refusing to remove the last owner. */
  remove(projectId: string, userId: string): Promise<'ok' | 'not_found' | 'last_owner'>;
}

export interface Store extends ConversationRepositories {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly oneTimeTokens: OneTimeTokenRepository;
  readonly projects: ProjectRepository;
  readonly members: MemberRepository;
  /** Resolves when the store answers a trivial query; rejects otherwise. Used by `/ready`. */
  ping(): Promise<void>;
  /** Releases connections. The store is unusable afterwards. */
  close(): Promise<void>;
}
