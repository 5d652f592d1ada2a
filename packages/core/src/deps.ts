/**
 * @module deps
 * What every service is built from: the ports plus resolved configuration.
 */
import type { ResolvedAuthConfig } from './config.ts';
import type { ZekkaEvent } from './events.ts';
import type { Cache } from './ports/cache.ts';
import type { EventBus } from './ports/event-bus.ts';
import type { ModelRegistry } from './ports/models.ts';
import type { Clock, Ids, Logger, Mailer, PasswordHasher } from './ports/services.ts';
import type { Store } from './ports/store.ts';
import type { Telemetry } from './ports/telemetry.ts';

/** The store the conversation-domain services use: every `Store` has the conversation repositories. */
export type ConversationStore = Store;

export interface ServiceDeps {
  store: Store;
  cache: Cache;
  bus: EventBus;
  hasher: PasswordHasher;
  mailer: Mailer;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  auth: ResolvedAuthConfig;
  publicUrl: string;
  telemetry: Telemetry;
}

/** What the conversation-domain services are built from. */
export interface ConversationDeps extends ServiceDeps {
  store: ConversationStore;
  models: ModelRegistry;
}

/**
 * Publishes without letting a bus failure fail the request that caused the event: the change is already
 * stored, and realtime delivery is best-effort by design.
 */
export async function publishSafely(deps: ServiceDeps, event: ZekkaEvent): Promise<void> {
  try {
    await deps.bus.publish(event);
  } catch (error) {
    deps.logger.warn('event publish failed', { event: event.event, error: String(error) });
  }
}
