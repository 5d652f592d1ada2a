/**
 * @module host-auth
 * The host's own sign-in, which knows nothing of Zekka's: each host user has a bearer token the host
 * issued itself. On first use the host provisions a matching Zekka user (through the system actor) and
 * from then on vouches for it with `zekka.auth.actorForUser`.
 */
import { isZekkaError, randomToken, systemActor, type UserActor, type Zekka } from '@zekka/core';

/** An account of the host application. */
export interface HostUser {
  /** The bearer token the host issued for this user. */
  token: string;
  email: string;
  name: string;
}

export class HostAuth {
  readonly #byToken: Map<string, HostUser>;
  /** Host token → Zekka user id, filled on first use. */
  readonly #zekkaIds = new Map<string, Promise<string>>();

  constructor(
    private readonly zekka: Zekka,
    users: HostUser[],
  ) {
    this.#byToken = new Map(users.map((user) => [user.token, user]));
  }

  /** The Zekka actor for a request's `Authorization: Bearer <host token>`, or `null` when unknown. */
  async actorFor(request: Request): Promise<UserActor | null> {
    const token = request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
    const user = token === undefined ? undefined : this.#byToken.get(token);
    if (token === undefined || user === undefined) return null;
    let zekkaId = this.#zekkaIds.get(token);
    if (zekkaId === undefined) {
      zekkaId = this.#provision(user);
      this.#zekkaIds.set(token, zekkaId);
      // A failed provisioning is retried on the next request rather than cached.
      zekkaId.catch(() => this.#zekkaIds.delete(token));
    }
    return this.zekka.auth.actorForUser(await zekkaId);
  }

  /** Creates the Zekka user, or finds it when an earlier run already did. */
  async #provision(user: HostUser): Promise<string> {
    const system = systemActor('embed-host');
    try {
      // The host authenticates its users itself, so the Zekka password is random and never used.
      const password = `${randomToken(24)}-Aa1`;
      const created = await this.zekka.users.create(system, { email: user.email, name: user.name, password });
      return created.id;
    } catch (error) {
      if (!isZekkaError(error) || error.code !== 'CONFLICT') throw error;
      const page = await this.zekka.users.list(system, { search: user.email, limit: 10, offset: 0 });
      const existing = page.items.find((candidate) => candidate.email === user.email.toLowerCase());
      if (!existing) throw error;
      return existing.id;
    }
  }
}
