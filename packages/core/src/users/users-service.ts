/**
 * @module users-service
 * Administration of accounts (contract rows 18–19) and direct creation (CLI, admin tooling).
 */
import { type Actor, isAdmin } from '../actor.ts';
import type { Credentials } from '../auth/credentials.ts';
import { normalizeEmail } from '../auth/email.ts';
import { assertPasswordPolicy } from '../auth/password-policy.ts';
import type { ServiceDeps } from '../deps.ts';
import { forbidden, notFound, ZekkaError } from '../errors.ts';
import type { UserPatch } from '../ports/store.ts';
import { AdminUserPatch, CreateUserInput, UserListQuery } from '../schemas/users.ts';
import type { UsersService } from '../service-types.ts';
import { parseInput } from '../support/validate.ts';
import { toUser } from '../views.ts';

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw forbidden('Only administrators may manage users');
}

export function createUsersService(deps: ServiceDeps, credentials: Credentials): UsersService {
  const { store, clock, ids, hasher } = deps;

  return {
    async list(actor, query) {
      requireAdmin(actor);
      const q = parseInput(UserListQuery, query);
      const limit = q.limit ?? 20;
      const offset = q.offset ?? 0;
      const search = q.search?.trim();
      const page = await store.users.list({ limit, offset, ...(search ? { search } : {}) });
      return { items: page.items.map(toUser), total: page.total, limit, offset };
    },

    async update(actor, userId, input) {
      requireAdmin(actor);
      const body = parseInput(AdminUserPatch, input);
      const user = await store.users.findById(userId);
      if (!user) throw notFound('User');
      if (actor.kind === 'user' && actor.userId === userId) {
        throw new ZekkaError('CONFLICT', 'Administrators cannot change their own role or disable themselves');
      }
      const now = clock.now();
      const patch: UserPatch = { updatedAt: now };
      if (body.role !== undefined) patch.role = body.role;
      if (body.disabled !== undefined) patch.disabledAt = body.disabled ? (user.disabledAt ?? now) : null;
      const updated = await store.users.update(userId, patch);
      if (!updated) throw notFound('User');
      if (body.disabled === true && user.disabledAt === null) {
        const revoked = await store.sessions.revokeAllForUser(userId, now);
        await credentials.forgetSessions(revoked);
        await credentials.refreshUser(userId, { blockKeys: true });
        deps.logger.info('user disabled', { userId });
      } else if (body.role !== undefined && body.role !== user.role) {
        await credentials.refreshUser(userId);
      }
      return toUser(updated);
    },

    async create(actor, input) {
      requireAdmin(actor);
      const body = parseInput(CreateUserInput, input);
      assertPasswordPolicy(body.password);
      const email = normalizeEmail(body.email);
      if (await store.users.findByEmail(email)) {
        throw new ZekkaError('CONFLICT', 'An account with this e-mail address already exists');
      }
      const now = clock.now();
      const user = await store.users.create({
        id: ids.uuid(),
        email,
        name: body.name.trim() || email,
        avatarUrl: null,
        role: body.role ?? 'user',
        passwordHash: await hasher.hash(body.password),
        // An account made by an administrator is vouched for.
        emailVerifiedAt: now,
        disabledAt: null,
        failedLoginCount: 0,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
      });
      return toUser(user);
    },
  };
}
