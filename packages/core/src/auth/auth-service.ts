/**
 * @module auth-service
 * Assembles the auth service (contract rows 1–17) from its parts.
 */
import type { UserActor } from '../actor.ts';
import type { ServiceDeps } from '../deps.ts';
import { ZekkaError } from '../errors.ts';
import type { AuthService } from '../service-types.ts';
import { Account } from './account.ts';
import { ApiKeys } from './api-keys.ts';
import { Credentials } from './credentials.ts';
import { SignIn } from './sign-in.ts';
import { Verification } from './verification.ts';

export function createAuthService(deps: ServiceDeps, credentials = new Credentials(deps)): AuthService {
  const verification = new Verification(deps, credentials);
  const signIn = new SignIn(deps, credentials, verification);
  const account = new Account(deps, credentials, verification);
  const apiKeys = new ApiKeys(deps, credentials);

  return {
    register: (input, client) => signIn.register(input, client),
    login: (input, client) => signIn.login(input, client),
    refresh: (token, client) => signIn.refresh(token, client),
    logout: (actor, token) => signIn.logout(actor, token),
    authenticate: (bearer) => credentials.authenticate(bearer),
    async actorForUser(userId): Promise<UserActor> {
      const user = await deps.store.users.findById(userId);
      if (!user || user.disabledAt !== null) throw new ZekkaError('NOT_FOUND', 'User not found');
      return { kind: 'user', userId: user.id, role: user.role, via: 'host' };
    },
    me: (actor) => account.me(actor),
    updateMe: (actor, input) => account.updateMe(actor, input),
    deleteMe: (actor, password) => account.deleteMe(actor, password),
    exportMe: (actor) => account.exportMe(actor),
    changePassword: (actor, input) => account.changePassword(actor, input),
    requestEmailVerification: (actor) => account.requestEmailVerification(actor),
    verifyEmail: (token) => verification.verifyEmail(token),
    forgotPassword: (email) => verification.forgotPassword(email),
    resetPassword: (token, password) => verification.resetPassword(token, password),
    listSessions: (actor) => account.listSessions(actor),
    revokeSession: (actor, id) => account.revokeSession(actor, id),
    listApiKeys: (actor) => apiKeys.list(actor),
    createApiKey: (actor, input) => apiKeys.create(actor, input),
    revokeApiKey: (actor, id) => apiKeys.revoke(actor, id),
  };
}
