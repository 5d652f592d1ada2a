/**
 * @module verification
 * Single-use links sent by e-mail: address verification and password reset. Tokens are random, stored as
 * SHA-256, expire, and are consumed atomically; sending a new link invalidates the previous one.
 */
import type { ServiceDeps } from '../deps.ts';
import { ZekkaError } from '../errors.ts';
import type { OneTimeTokenPurpose, UserRecord } from '../ports/records.ts';
import { sha256Hex } from '../support/digest.ts';
import type { User } from '../types.ts';
import { toUser } from '../views.ts';
import type { Credentials } from './credentials.ts';
import { normalizeEmail } from './email.ts';
import { assertPasswordPolicy } from './password-policy.ts';

const invalidLink = () => new ZekkaError('TOKEN_INVALID', 'This link is not valid or has expired');

export class Verification {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly credentials: Credentials,
  ) {}

  /** Sends a verification link. Mail failures are logged, not thrown: the account exists either way. */
  async sendVerificationLink(user: UserRecord): Promise<void> {
    if (user.emailVerifiedAt !== null) return;
    const ttl = this.deps.auth.emailVerificationTtlHours * 3_600_000;
    const token = await this.issue(user.id, 'email_verification', ttl);
    const link = `${this.deps.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await this.mail(
      user.email,
      'Verify your e-mail address',
      `Open this link to verify your address: ${link}`,
      link,
    );
  }

  async verifyEmail(token: string): Promise<User> {
    const { store, clock } = this.deps;
    const used = await this.consume(token, 'email_verification');
    const now = clock.now();
    const user = await store.users.update(used.userId, { emailVerifiedAt: now, updatedAt: now });
    if (!user) throw invalidLink();
    return toUser(user);
  }

  async forgotPassword(email: string): Promise<void> {
    if (typeof email !== 'string' || email.length > 254) return;
    const user = await this.deps.store.users.findByEmail(normalizeEmail(email));
    if (!user || user.disabledAt !== null) return;
    const ttl = this.deps.auth.passwordResetTtlMinutes * 60_000;
    const token = await this.issue(user.id, 'password_reset', ttl);
    const link = `${this.deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.mail(
      user.email,
      'Reset your password',
      `Open this link to choose a new password: ${link}`,
      link,
    );
  }

  /** Sets a new password, unlocks the account and revokes every session. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    // Check the policy first so a weak password does not burn the link.
    assertPasswordPolicy(newPassword, '/newPassword');
    const { store, hasher, clock } = this.deps;
    const used = await this.consume(token, 'password_reset');
    const passwordHash = await hasher.hash(newPassword);
    const now = clock.now();
    const user = await store.users.findById(used.userId);
    if (!user) throw invalidLink();
    await store.users.update(user.id, {
      passwordHash,
      failedLoginCount: 0,
      lockedUntil: null,
      // Following the link proved control of the mailbox.
      emailVerifiedAt: user.emailVerifiedAt ?? now,
      updatedAt: now,
    });
    const revoked = await store.sessions.revokeAllForUser(user.id, now);
    await this.credentials.forgetSessions(revoked);
  }

  private async issue(userId: string, purpose: OneTimeTokenPurpose, ttlMs: number): Promise<string> {
    const { store, ids, clock } = this.deps;
    const token = ids.token(32);
    const now = clock.now();
    await store.oneTimeTokens.deleteForUser(userId, purpose);
    await store.oneTimeTokens.create({
      tokenHash: sha256Hex(token),
      userId,
      purpose,
      createdAt: now,
      expiresAt: now + ttlMs,
      usedAt: null,
    });
    return token;
  }

  private async consume(token: string, purpose: OneTimeTokenPurpose) {
    if (typeof token !== 'string' || token.length === 0 || token.length > 512) throw invalidLink();
    const used = await this.deps.store.oneTimeTokens.consume(
      sha256Hex(token),
      purpose,
      this.deps.clock.now(),
    );
    if (!used) throw invalidLink();
    return used;
  }

  private async mail(to: string, subject: string, text: string, link: string): Promise<void> {
    try {
      await this.deps.mailer.send({ to, subject, text, link });
    } catch (error) {
      this.deps.logger.error('sending mail failed', { subject, error: String(error) });
    }
  }
}
