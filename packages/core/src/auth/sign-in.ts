/**
 * @module sign-in
 * Registration, login with lockout, refresh-token rotation and logout.
 */
import type { UserActor } from '../actor.ts';
import type { ServiceDeps } from '../deps.ts';
import { ZekkaError } from '../errors.ts';
import type { UserRecord } from '../ports/records.ts';
import { LoginBody, RegisterBody } from '../schemas/auth.ts';
import { sha256Hex } from '../support/digest.ts';
import { nonBlank, parseInput } from '../support/validate.ts';
import type { AuthResult, ClientInfo, RegisterInput, RegisterResult, TokenPair } from '../types.ts';
import { toUser } from '../views.ts';
import type { Credentials } from './credentials.ts';
import { normalizeEmail } from './email.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import type { Verification } from './verification.ts';

const invalidCredentials = () =>
  new ZekkaError('INVALID_CREDENTIALS', 'The e-mail or password is not correct');

export class SignIn {
  /** A real hash to verify against when the e-mail is unknown, so both failures take the same time. */
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly credentials: Credentials,
    private readonly verification: Verification,
  ) {}

  async register(input: RegisterInput, client: ClientInfo = {}): Promise<RegisterResult> {
    const body = parseInput(RegisterBody, input);
    assertPasswordPolicy(body.password);
    const name = nonBlank(body.name, '/name');
    const { store, hasher, ids, clock } = this.deps;
    const email = normalizeEmail(body.email);
    if (await store.users.findByEmail(email)) throw emailTaken();
    const passwordHash = await hasher.hash(body.password);
    const now = clock.now();
    const user = await store.users
      .create({
        id: ids.uuid(),
        email,
        name,
        avatarUrl: null,
        role: 'user',
        passwordHash,
        emailVerifiedAt: null,
        disabledAt: null,
        failedLoginCount: 0,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
      })
      .catch((error: unknown) => {
        // Lost a race with a concurrent registration of the same address.
        throw error instanceof ZekkaError && error.code === 'CONFLICT' ? emailTaken() : error;
      });
    await this.verification.sendVerificationLink(user);
    if (this.deps.auth.requireEmailVerification) {
      return { user: toUser(user), requiresEmailVerification: true };
    }
    const { tokens } = await this.credentials.openSession(user, client);
    return { user: toUser(user), ...tokens };
  }

  async login(input: { email: string; password: string }, client: ClientInfo = {}): Promise<AuthResult> {
    const body = parseInput(LoginBody, input);
    const { store, hasher, clock, auth } = this.deps;
    const user = await store.users.findByEmail(normalizeEmail(body.email));
    if (!user) {
      await hasher.verify(body.password, await this.decoy());
      throw invalidCredentials();
    }
    this.assertNotLocked(user, clock.now());
    if (!(await hasher.verify(body.password, user.passwordHash))) {
      const lockMs = auth.lockoutMinutes * 60_000;
      const after = await store.users.recordLoginFailure(user.id, clock.now(), auth.maxFailedLogins, lockMs);
      if (after?.lockedUntil && after.lockedUntil > clock.now() && after.failedLoginCount === 0) {
        this.deps.logger.warn('account locked after repeated failed logins', { userId: user.id });
      }
      throw invalidCredentials();
    }
    if (user.disabledAt !== null) throw new ZekkaError('FORBIDDEN', 'This account is disabled');
    if (auth.requireEmailVerification && user.emailVerifiedAt === null) {
      throw new ZekkaError('FORBIDDEN', 'Verify your e-mail address before signing in');
    }
    if (user.failedLoginCount > 0 || user.lockedUntil !== null) {
      await store.users.update(user.id, { failedLoginCount: 0, lockedUntil: null, updatedAt: clock.now() });
    }
    const { tokens } = await this.credentials.openSession(user, client);
    return { user: toUser(user), ...tokens };
  }

  async refresh(refreshToken: string, client: ClientInfo = {}): Promise<TokenPair> {
    if (typeof refreshToken !== 'string' || refreshToken.length === 0 || refreshToken.length > 512) {
      throw new ZekkaError('TOKEN_INVALID', 'The refresh token is not valid');
    }
    const { store, ids, clock, auth, logger } = this.deps;
    const now = clock.now();
    const next = ids.token(32);
    const result = await store.sessions.rotateRefreshToken(
      sha256Hex(refreshToken),
      {
        tokenHash: sha256Hex(next),
        createdAt: now,
        expiresAt: now + auth.refreshTokenTtlDays * 86_400_000,
        rotatedAt: null,
      },
      now,
    );
    if (result.outcome === 'reused') {
      await this.credentials.forgetSessions([result.sessionId]);
      logger.warn('refresh token reused; session revoked', { sessionId: result.sessionId });
      throw new ZekkaError(
        'TOKEN_INVALID',
        'This refresh token was already used; the session has been revoked',
      );
    }
    if (result.outcome === 'invalid') throw new ZekkaError('TOKEN_INVALID', 'The refresh token is not valid');
    const user = await store.users.findById(result.session.userId);
    if (!user || user.disabledAt !== null) {
      await store.sessions.revoke(result.session.id, now);
      await this.credentials.forgetSessions([result.session.id]);
      throw new ZekkaError('TOKEN_INVALID', 'The refresh token is not valid');
    }
    if (client.ip !== undefined || client.userAgent !== undefined) {
      await store.sessions.touch(result.session.id, now, client);
    }
    return this.credentials.tokens(user, result.session.id, next, now);
  }

  async logout(actor: UserActor, refreshToken?: string): Promise<void> {
    const { store, clock } = this.deps;
    let sessionId = actor.sessionId;
    if (refreshToken) {
      const session = await store.sessions.findByRefreshToken(sha256Hex(refreshToken), clock.now());
      if (session && session.userId === actor.userId) sessionId = session.id;
    }
    if (!sessionId) return;
    await store.sessions.revoke(sessionId, clock.now());
    await this.credentials.forgetSessions([sessionId]);
  }

  private assertNotLocked(user: UserRecord, now: number): void {
    if (user.lockedUntil !== null && user.lockedUntil > now) {
      throw new ZekkaError('ACCOUNT_LOCKED', 'Too many failed logins; try again later', {
        retryAfterSeconds: Math.ceil((user.lockedUntil - now) / 1000),
      });
    }
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.deps.hasher.hash(this.deps.ids.token(16));
    return this.decoyHash;
  }
}

const emailTaken = () => new ZekkaError('CONFLICT', 'An account with this e-mail address already exists');
