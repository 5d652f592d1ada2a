/**
 * @module actor
 * Who is calling a service. Every service method takes one; authorization is decided from it in core.
 */

export type UserRole = 'user' | 'admin';

/**
 * A user: signed in with an access token or an API key, or vouched for by an embedding host (`host`, see
 * `auth.actorForUser`).
 */
export interface UserActor {
  kind: 'user';
  userId: string;
  role: UserRole;
  via: 'token' | 'apiKey' | 'host';
  /** The session behind an access token; absent for API keys. */
  sessionId?: string;
  /** The API key used, when `via` is `apiKey`. */
  apiKeyId?: string;
}

/** The host application or a maintenance task acting with full rights (the CLI, an embedding host). */
export interface SystemActor {
  kind: 'system';
  /** A short label for logs and audit, e.g. `cli`. */
  label: string;
}

export type Actor = UserActor | SystemActor;

export const systemActor = (label = 'system'): SystemActor => ({ kind: 'system', label });

export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin';
}
