/**
 * @module create-zekka
 * Wires the ports into the services. This is the whole SDK entry point for an embedding host.
 */
import { createAuthService } from './auth/auth-service.ts';
import { Credentials } from './auth/credentials.ts';
import { type BudgetsService, createBudgetsService } from './budgets/budgets-service.ts';
import { resolveAuthConfig, type ZekkaConfig } from './config.ts';
import {
  type ConversationsService,
  createConversationsService,
} from './conversations/conversations-service.ts';
import { Generations } from './conversations/generations.ts';
import { createMessagesService, type MessagesService } from './conversations/messages-service.ts';
import { createModelsService, type ModelsService } from './conversations/models-service.ts';
import type { ConversationDeps } from './deps.ts';
import { ZekkaError } from './errors.ts';
import type { Cache } from './ports/cache.ts';
import type { EventBus } from './ports/event-bus.ts';
import type { ModelRegistry } from './ports/models.ts';
import type { Clock, Ids, Logger, Mailer, PasswordHasher } from './ports/services.ts';
import type { Store } from './ports/store.ts';
import type { StreamBuffer } from './ports/stream-buffer.ts';
import { noTelemetry, type Telemetry } from './ports/telemetry.ts';
import { createProjectsService } from './projects/projects-service.ts';
import type { AuthService, ProjectsService, UsersService } from './service-types.ts';
import { createConsoleLogger } from './support/console-logger.ts';
import { defaultIds } from './support/ids.ts';
import { createLogMailer } from './support/log-mailer.ts';
import { createMemoryStreamBuffer } from './support/memory-stream-buffer.ts';
import { systemClock } from './support/time.ts';
import { createUsersService } from './users/users-service.ts';

export interface ZekkaOptions {
  store: Store;
  cache: Cache;
  bus: EventBus;
  passwordHasher: PasswordHasher;
  /** The models conversations run on (`@zekka/adapters/models`; its `echo` model works offline). */
  models: ModelRegistry;
  config: ZekkaConfig;
  /** @default a mailer that logs each message and its link through `logger` */
  mailer?: Mailer;
  /** @default the system clock */
  clock?: Clock;
  /** @default UUIDv7 ids and `crypto.getRandomValues` tokens */
  ids?: Ids;
  /** @default a JSON logger on the console at `info` */
  logger?: Logger;
  /** Receives finished model calls and refused budgets, for metrics. @default nothing */
  telemetry?: Telemetry;
  /**
   * Where generations' stream events are kept so a client can resume them; several instances must share
   * one (Redis Streams). Closed by `close()`. @default in memory, bounded, 1 h
   */
  streamBuffer?: StreamBuffer;
}

export interface Zekka {
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly projects: ProjectsService;
  readonly budgets: BudgetsService;
  readonly conversations: ConversationsService;
  readonly messages: MessagesService;
  readonly models: ModelsService;
  /** The event bus the services publish on. */
  readonly events: EventBus;
  readonly logger: Logger;
  /** Checks that the store and the cache answer. */
  health(): Promise<{ store: boolean; cache: boolean }>;
  /**
   * Lets running generations finish (aborting, and so storing as `stopped`, those still running after
   * `generationTimeoutMs`, default 10 s), then closes the stream buffer, the bus, the cache and the store,
   * in that order.
   */
  close(options?: { generationTimeoutMs?: number }): Promise<void>;
}

/**
 * Builds the services from the ports.
 *
 * @example
 * const zekka = createZekka({
 *   store: createSqliteStore({ url: 'sqlite:./data/zekka.db' }),
 *   cache: createMemoryCache(),
 *   bus: createMemoryEventBus(),
 *   passwordHasher: createBunPasswordHasher(),
 *   models: createModelRegistry(),
 *   config: { auth: { jwtSecret: process.env.JWT_SECRET! } },
 * });
 * const actor = await zekka.auth.actorForUser(userId);
 * await zekka.projects.create(actor, { name: 'Research' });
 */
export function createZekka(options: ZekkaOptions): Zekka {
  const logger = options.logger ?? createConsoleLogger();
  const auth = resolveAuthConfig(options.config.auth);
  if (typeof auth.jwtSecret !== 'string' || auth.jwtSecret.length < 16) {
    throw new ZekkaError(
      'VALIDATION_FAILED',
      'config.auth.jwtSecret must be a string of at least 16 characters',
    );
  }
  const deps: ConversationDeps = {
    store: options.store,
    models: options.models,
    cache: options.cache,
    bus: options.bus,
    hasher: options.passwordHasher,
    mailer: options.mailer ?? createLogMailer(logger),
    clock: options.clock ?? systemClock,
    ids: options.ids ?? defaultIds,
    logger,
    auth,
    telemetry: options.telemetry ?? noTelemetry,
    publicUrl: (options.config.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, ''),
  };
  const credentials = new Credentials(deps);
  const streamBuffer = options.streamBuffer ?? createMemoryStreamBuffer();
  const generations = new Generations(deps, streamBuffer);
  const budgets = createBudgetsService(deps);
  let closed: Promise<void> | undefined;

  return {
    auth: createAuthService(deps, credentials),
    users: createUsersService(deps, credentials),
    projects: createProjectsService(deps),
    budgets,
    conversations: createConversationsService(deps, generations),
    messages: createMessagesService(deps, generations, budgets),
    models: createModelsService(options.models),
    events: options.bus,
    logger,
    async health() {
      const [store, cache] = await Promise.allSettled([options.store.ping(), options.cache.ping()]);
      return { store: store.status === 'fulfilled', cache: cache.status === 'fulfilled' };
    },
    close(closeOptions = {}) {
      closed ??= (async () => {
        await generations.drain(closeOptions.generationTimeoutMs ?? 10_000);
        await streamBuffer.close();
        await options.bus.close();
        await options.cache.close();
        await options.store.close();
      })();
      return closed;
    },
  };
}
