/**
 * @module credentials
 * Turning bearer credentials into actors, and the revocation state behind them.
 *
 * An active session's state (user and current role) is cached under `auth:session:<sid>` for a minute.
 * Revocation writes a separate marker, `auth:revoked:<sid>`, for an access token's lifetime, and every
 * request checks the marker first: a reader that cached "active" just before a revocation can therefore
 * never hide it, and a revoked session's access tokens are refused by the very next request. A cache that
 * lost its entries (restart, eviction) falls back to the store, so losing the cache never turns a revoked
 * session back on.
 */
import type { UserActor, UserRole } from '../actor.ts';
import type { ServiceDeps } from '../deps.ts';
import { ZekkaError } from '../errors.ts';
import type { SessionRecord, UserRecord } from '../ports/records.ts';
import { sha256Hex } from '../support/digest.ts';
import { type AccessClaims, AccessTokenVerifier, signAccessToken } from './jwt.ts';

const ACTIVE_TTL_MS = 60_000;
export const API_KEY_PREFIX = 'zk_';

const sessionKey = (sessionId: string) => `auth:session:${sessionId}`;
const revokedKey = (sessionId: string) => `auth:revoked:${sessionId}`;
const apiKeyKey = (keyHash: string) => `auth:apikey:${keyHash}`;
const apiKeyRevokedKey = (keyHash: string) => `auth:apikey-revoked:${keyHash}`;
/** Outlives any cached key entry, after which the store itself says the key is revoked. */
const API_KEY_MARKER_TTL_MS = 2 * ACTIVE_TTL_MS;

interface CachedApiKey {
  id: string;
  userId: string;
  role: UserRole;
  expiresAt: number | null;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export class Credentials {
  private readonly verifier: AccessTokenVerifier;

  constructor(private readonly deps: ServiceDeps) {
    const { auth } = deps;
    this.verifier = new AccessTokenVerifier({
      secret: auth.jwtSecret,
      issuer: auth.issuer,
      audience: auth.audience,
    });
  }

  /** Opens a session for `user` and returns its first token pair. */
  async openSession(user: UserRecord, client: { ip?: string | null; userAgent?: string | null } = {}) {
    const { store, ids, clock, auth } = this.deps;
    const now = clock.now();
    const refreshToken = ids.token(32);
    const expiresAt = now + auth.refreshTokenTtlDays * 86_400_000;
    const session: SessionRecord = {
      id: ids.uuid(),
      userId: user.id,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
      revokedAt: null,
    };
    await store.sessions.create(session, {
      tokenHash: sha256Hex(refreshToken),
      sessionId: session.id,
      createdAt: now,
      expiresAt,
      rotatedAt: null,
    });
    return { session, tokens: this.tokens(user, session.id, refreshToken, now) };
  }

  tokens(
    user: Pick<UserRecord, 'id' | 'role'>,
    sessionId: string,
    refreshToken: string,
    now: number,
  ): IssuedTokens {
    const { auth } = this.deps;
    const iat = Math.floor(now / 1000);
    const claims: AccessClaims = {
      sub: user.id,
      sid: sessionId,
      role: user.role,
      iss: auth.issuer,
      aud: auth.audience,
      iat,
      exp: iat + auth.accessTokenTtlSeconds,
    };
    return {
      accessToken: signAccessToken(claims, auth.jwtSecret),
      refreshToken,
      expiresIn: auth.accessTokenTtlSeconds,
    };
  }

  async authenticate(bearer: string): Promise<UserActor> {
    const token = bearer.trim();
    if (token.length === 0) throw new ZekkaError('AUTH_REQUIRED', 'Authentication is required');
    if (token.startsWith(API_KEY_PREFIX)) return this.authenticateApiKey(token);
    const claims = this.verifier.verify(token, this.deps.clock.now());
    const state = await this.sessionState(claims.sid);
    if (state === null || state.userId !== claims.sub) {
      throw new ZekkaError('TOKEN_INVALID', 'The session of this token has ended');
    }
    // The role comes from the current state, not the token, so a role change applies at once.
    return { kind: 'user', userId: state.userId, role: state.role, via: 'token', sessionId: claims.sid };
  }

  /** Marks sessions revoked in the cache (the store must already say so). */
  async forgetSessions(sessionIds: Iterable<string>): Promise<void> {
    const { cache, auth } = this.deps;
    const ttl = auth.accessTokenTtlSeconds * 1000;
    await Promise.all(
      [...sessionIds].flatMap((id) => [cache.set(revokedKey(id), '1', ttl), cache.delete(sessionKey(id))]),
    );
  }

  /**
   * Drops cached state for a user's live sessions and keys so a role change applies at once. With
   * `blockKeys`, the user's API keys are also refused until the store is consulted again (used when the
   * account is disabled; its sessions are revoked in the store by the caller).
   */
  async refreshUser(userId: string, options: { blockKeys?: boolean } = {}): Promise<void> {
    const { store, cache, clock } = this.deps;
    const [sessions, keys] = await Promise.all([
      store.sessions.listActive(userId, clock.now()),
      store.apiKeys.listByUser(userId),
    ]);
    await Promise.all([
      ...sessions.map((s) => cache.delete(sessionKey(s.id))),
      ...keys.map((k) =>
        options.blockKeys ? this.forgetApiKey(k.keyHash) : cache.delete(apiKeyKey(k.keyHash)),
      ),
    ]);
  }

  /** Refuses the key from the next request on (the store must already say it is revoked). */
  async forgetApiKey(keyHash: string): Promise<void> {
    const { cache } = this.deps;
    await Promise.all([
      cache.set(apiKeyRevokedKey(keyHash), '1', API_KEY_MARKER_TTL_MS),
      cache.delete(apiKeyKey(keyHash)),
    ]);
  }

  /**
   * Caches what the store just said. Best-effort: the store answered, so a cache that cannot take the
   * entry (Redis down) costs a store read next time, never the request. Revocation writes are different —
   * `forgetSessions` and `forgetApiKey` let a failure reach the caller, who can retry.
   */
  private async fill(key: string, value: string, ttlMs: number): Promise<void> {
    try {
      await this.deps.cache.set(key, value, ttlMs);
    } catch (error) {
      this.deps.logger.debug('cache fill failed', {
        key: key.slice(0, key.lastIndexOf(':')),
        error: String(error),
      });
    }
  }

  private async sessionState(sessionId: string): Promise<{ userId: string; role: UserRole } | null> {
    const { cache, store, clock } = this.deps;
    const key = sessionKey(sessionId);
    const [revoked, cached] = await Promise.all([cache.get(revokedKey(sessionId)), cache.get(key)]);
    if (revoked !== null) return null;
    if (cached !== null) {
      const bar = cached.indexOf('|');
      return { userId: cached.slice(0, bar), role: cached.slice(bar + 1) as UserRole };
    }
    const now = clock.now();
    const session = await store.sessions.findById(sessionId);
    const user = session ? await store.users.findById(session.userId) : null;
    if (
      !session ||
      !user ||
      session.revokedAt !== null ||
      session.expiresAt <= now ||
      user.disabledAt !== null
    ) {
      await this.fill(revokedKey(sessionId), '1', this.deps.auth.accessTokenTtlSeconds * 1000);
      return null;
    }
    await Promise.all([
      this.fill(key, `${user.id}|${user.role}`, ACTIVE_TTL_MS),
      store.sessions.touch(session.id, now),
    ]);
    return { userId: user.id, role: user.role };
  }

  private async authenticateApiKey(key: string): Promise<UserActor> {
    const { cache, store, clock } = this.deps;
    const keyHash = sha256Hex(key);
    const now = clock.now();
    const cacheKey = apiKeyKey(keyHash);
    let entry: CachedApiKey | null = null;
    const [revoked, cached] = await Promise.all([cache.get(apiKeyRevokedKey(keyHash)), cache.get(cacheKey)]);
    if (revoked !== null) throw new ZekkaError('TOKEN_INVALID', 'The API key is not valid');
    if (cached !== null) {
      entry = JSON.parse(cached) as CachedApiKey;
    } else {
      const record = await store.apiKeys.findByHash(keyHash);
      const user = record && record.revokedAt === null ? await store.users.findById(record.userId) : null;
      if (!record || !user || record.revokedAt !== null || user.disabledAt !== null) {
        throw new ZekkaError('TOKEN_INVALID', 'The API key is not valid');
      }
      entry = { id: record.id, userId: user.id, role: user.role, expiresAt: record.expiresAt };
      // Caching for a minute also throttles the last-used write to one a minute per key.
      await Promise.all([
        this.fill(cacheKey, JSON.stringify(entry), ACTIVE_TTL_MS),
        store.apiKeys.touch(record.id, now),
      ]);
    }
    if (entry.expiresAt !== null && entry.expiresAt <= now) {
      throw new ZekkaError('TOKEN_EXPIRED', 'The API key has expired');
    }
    return { kind: 'user', userId: entry.userId, role: entry.role, via: 'apiKey', apiKeyId: entry.id };
  }
}
