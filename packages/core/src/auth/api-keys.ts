/**
 * @module api-keys
 * Long-lived keys for automation: `zk_` + 256 random bits, stored as SHA-256, shown once, revocable.
 */
import type { UserActor } from '../actor.ts';
import type { ServiceDeps } from '../deps.ts';
import { notFound, ZekkaError } from '../errors.ts';
import { CreateApiKeyBody } from '../schemas/auth.ts';
import { sha256Hex } from '../support/digest.ts';
import { nonBlank, parseInput } from '../support/validate.ts';
import type { ApiKey, CreateApiKeyInput, CreatedApiKey } from '../types.ts';
import { toApiKey } from '../views.ts';
import { requireSignedIn } from './account.ts';
import { API_KEY_PREFIX, type Credentials } from './credentials.ts';

/** Enough for any real automation setup; a bound keeps a compromised session from minting thousands. */
export const MAX_API_KEYS_PER_USER = 50;

export class ApiKeys {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly credentials: Credentials,
  ) {}

  async list(actor: UserActor): Promise<ApiKey[]> {
    return (await this.deps.store.apiKeys.listByUser(actor.userId)).map(toApiKey);
  }

  async create(actor: UserActor, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    requireSignedIn(actor, 'create API keys');
    const body = parseInput(CreateApiKeyBody, input);
    const { store, ids, clock } = this.deps;
    const now = clock.now();
    const name = nonBlank(body.name, '/name');
    const expiresAt = body.expiresAt === undefined ? null : Date.parse(body.expiresAt);
    if (expiresAt !== null && expiresAt <= now) {
      throw new ZekkaError('VALIDATION_FAILED', 'The expiry is in the past', {
        details: [{ path: '/expiresAt', message: 'Must be in the future' }],
      });
    }
    if ((await store.apiKeys.listByUser(actor.userId)).length >= MAX_API_KEYS_PER_USER) {
      throw new ZekkaError(
        'CONFLICT',
        `At most ${MAX_API_KEYS_PER_USER} API keys per account; revoke one first`,
      );
    }
    const key = `${API_KEY_PREFIX}${ids.token(32)}`;
    const record = await store.apiKeys.create({
      id: ids.uuid(),
      userId: actor.userId,
      name,
      keyHash: sha256Hex(key),
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      createdAt: now,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    return { apiKey: toApiKey(record), key };
  }

  async revoke(actor: UserActor, keyId: string): Promise<void> {
    const { store, clock } = this.deps;
    const key = (await store.apiKeys.listByUser(actor.userId)).find((k) => k.id === keyId);
    if (!key || !(await store.apiKeys.revoke(key.id, actor.userId, clock.now()))) throw notFound('API key');
    await this.credentials.forgetApiKey(key.keyHash);
  }
}
