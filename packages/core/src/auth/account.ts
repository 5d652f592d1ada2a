/**
 * @module account
 * What a signed-in user does with their own account: profile, password, sessions, export, deletion.
 */
import type { UserActor } from '../actor.ts';
import { toMessage } from '../conversations/views.ts';
import type { ServiceDeps } from '../deps.ts';
import { notFound, ZekkaError } from '../errors.ts';
import type { ProjectWithRole, UserRecord } from '../ports/records.ts';
import { ChangePasswordBody, UpdateMeBody } from '../schemas/auth.ts';
import { iso } from '../support/time.ts';
import { nonBlank, parseInput } from '../support/validate.ts';
import type { AccountExport, ChangePasswordInput, Session, UpdateMeInput, User } from '../types.ts';
import { microToUsd, toApiKey, toProject, toSession, toUser } from '../views.ts';
import type { Credentials } from './credentials.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import type { Verification } from './verification.ts';

export class Account {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly credentials: Credentials,
    private readonly verification: Verification,
  ) {}

  async me(actor: UserActor): Promise<User> {
    return toUser(await this.load(actor));
  }

  async updateMe(actor: UserActor, input: UpdateMeInput): Promise<User> {
    const body = parseInput(UpdateMeBody, input);
    const name = body.name === undefined ? undefined : nonBlank(body.name, '/name');
    const updated = await this.deps.store.users.update(actor.userId, {
      ...(name !== undefined && { name }),
      ...(body.avatarUrl !== undefined && { avatarUrl: body.avatarUrl }),
      updatedAt: this.deps.clock.now(),
    });
    if (!updated) throw notFound('User');
    return toUser(updated);
  }

  /** Deletes the account and everything only it owns, after re-checking the password. */
  async deleteMe(actor: UserActor, password: string): Promise<void> {
    requireSignedIn(actor, 'delete the account');
    const user = await this.load(actor);
    await this.checkPassword(user, password);
    const { store, clock, logger } = this.deps;
    const sessions = await store.sessions.listActive(user.id, clock.now());
    const keys = await store.apiKeys.listByUser(user.id);
    await store.users.delete(user.id);
    await this.credentials.forgetSessions(sessions.map((s) => s.id));
    await Promise.all(keys.map((k) => this.credentials.forgetApiKey(k.keyHash)));
    logger.info('account deleted', { userId: user.id });
  }

  async exportMe(actor: UserActor): Promise<AccountExport> {
    const user = await this.load(actor);
    const { store, clock } = this.deps;
    const [sessions, keys, projects, conversations, messages, usage] = await Promise.all([
      store.sessions.listActive(user.id, clock.now()),
      store.apiKeys.listByUser(user.id),
      this.allProjects(user.id),
      store.conversations.listByCreator(user.id),
      store.messages.listByAuthor(user.id),
      store.usage.listByUser(user.id),
    ]);
    const memberships = await Promise.all(projects.map((p) => store.members.find(p.id, user.id)));
    return {
      exportedAt: iso(clock.now()),
      user: toUser(user),
      sessions: sessions.map((s) => toSession(s, actor.sessionId)),
      apiKeys: keys.map(toApiKey),
      projects: projects.map((p) => toProject(p, p.role)),
      memberships: memberships.flatMap((m) =>
        m ? [{ projectId: m.projectId, role: m.role, addedAt: iso(m.addedAt) }] : [],
      ),
      conversations: conversations.map((c) => ({
        id: c.id,
        projectId: c.projectId,
        title: c.title,
        model: c.model,
        systemPrompt: c.systemPrompt,
        archived: c.archived,
        createdAt: iso(c.createdAt),
        updatedAt: iso(c.updatedAt),
      })),
      messages: messages.map(toMessage),
      usage: usage.map((u) => ({
        id: u.id,
        projectId: u.projectId,
        conversationId: u.conversationId,
        messageId: u.messageId,
        provider: u.provider,
        model: u.model,
        inputTokens: u.inputTokens,
        cacheReadTokens: u.cacheReadTokens,
        cacheWriteTokens: u.cacheWriteTokens,
        outputTokens: u.outputTokens,
        reasoningTokens: u.reasoningTokens,
        costUsd: u.costMicroUsd === null ? null : microToUsd(u.costMicroUsd),
        outcome: u.outcome,
        createdAt: iso(u.createdAt),
      })),
    };
  }

  /** Changes the password and revokes every other session; the current one stays signed in. */
  async changePassword(actor: UserActor, input: ChangePasswordInput): Promise<void> {
    requireSignedIn(actor, 'change the password');
    const body = parseInput(ChangePasswordBody, input);
    const user = await this.load(actor);
    await this.checkPassword(user, body.currentPassword);
    assertPasswordPolicy(body.newPassword, '/newPassword');
    const { store, hasher, clock } = this.deps;
    const passwordHash = await hasher.hash(body.newPassword);
    const now = clock.now();
    await store.users.update(user.id, { passwordHash, updatedAt: now });
    await store.oneTimeTokens.deleteForUser(user.id, 'password_reset');
    const revoked = await store.sessions.revokeAllForUser(user.id, now, actor.sessionId);
    await this.credentials.forgetSessions(revoked);
  }

  async requestEmailVerification(actor: UserActor): Promise<void> {
    await this.verification.sendVerificationLink(await this.load(actor));
  }

  async listSessions(actor: UserActor): Promise<Session[]> {
    const sessions = await this.deps.store.sessions.listActive(actor.userId, this.deps.clock.now());
    return sessions.map((s) => toSession(s, actor.sessionId));
  }

  async revokeSession(actor: UserActor, sessionId: string): Promise<void> {
    const { store, clock } = this.deps;
    const session = await store.sessions.findById(sessionId);
    const now = clock.now();
    if (
      !session ||
      session.userId !== actor.userId ||
      session.revokedAt !== null ||
      session.expiresAt <= now
    ) {
      throw notFound('Session');
    }
    await store.sessions.revoke(session.id, now);
    await this.credentials.forgetSessions([session.id]);
  }

  private async load(actor: UserActor): Promise<UserRecord> {
    const user = await this.deps.store.users.findById(actor.userId);
    if (!user) throw notFound('User');
    return user;
  }

  private async checkPassword(user: UserRecord, password: unknown): Promise<void> {
    const ok = typeof password === 'string' && (await this.deps.hasher.verify(password, user.passwordHash));
    if (!ok) throw new ZekkaError('INVALID_CREDENTIALS', 'The password is not correct');
  }

  private async allProjects(userId: string): Promise<ProjectWithRole[]> {
    const all: ProjectWithRole[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.deps.store.projects.listForMember(userId, { limit: 100, offset });
      all.push(...page.items);
      if (page.items.length < 100) return all;
    }
  }
}

/**
 * Actions that could hand an attacker lasting control of the account need a signed-in session; an API key
 * (meant for automation) cannot perform them.
 */
export function requireSignedIn(actor: UserActor, action: string): void {
  if (actor.via === 'apiKey') {
    throw new ZekkaError('FORBIDDEN', `An API key cannot ${action}; sign in with a password`);
  }
}
