/**
 * @module test-server
 * Builds the whole stack in process for the acceptance suite: Zekka core over a fresh store (in-memory
 * SQLite, or a Postgres schema: see `test-store.ts`), the memory cache and bus, the Bun password hasher, a
 * clock the test moves, and a mailer that keeps what it sends.
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import {
  type AuthConfig,
  createZekka,
  type EventBus,
  type ModelRegistry,
  silentLogger,
  type Zekka,
} from '@zekka/core';
import { createServer, type ServerOptions } from '../../../src/index.ts';
import { type CapturingMailer, createCapturingMailer } from './capturing-mailer.ts';
import { HttpClient } from './http-client.ts';
import { createManualClock, type ManualClock } from './manual-clock.ts';
import { type TestStoreFactory, testStoreFromEnv } from './test-store.ts';

export interface TestServerOptions {
  /** Overrides of core's auth config (the JWT secret is set for you). */
  auth?: Partial<AuthConfig>;
  /** Options passed to `createServer`; rate limits are off unless given here. */
  server?: ServerOptions;
  /** The store under the server. @default per `ZEKKA_TEST_STORE`: in-memory SQLite unless it says postgres */
  store?: TestStoreFactory;
  /** The models conversations run on. @default `createModelRegistry()` (only the instant `echo` model) */
  models?: ModelRegistry;
  /** The event bus. @default a memory bus */
  bus?: EventBus;
}

export interface TestServer {
  app: ReturnType<typeof createServer>;
  zekka: Zekka;
  clock: ManualClock;
  mailer: CapturingMailer;
  http: HttpClient;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const clock = createManualClock();
  const mailer = createCapturingMailer();
  const { store, drop } = await (options.store ?? testStoreFromEnv)();
  const zekka = createZekka({
    store,
    cache: createMemoryCache(),
    bus: options.bus ?? createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: options.models ?? createModelRegistry(),
    mailer,
    clock,
    logger: silentLogger,
    config: { auth: { jwtSecret: TEST_JWT_SECRET, ...options.auth } },
  });
  const app = createServer(zekka, { rateLimit: false, ...options.server });
  return {
    app,
    zekka,
    clock,
    mailer,
    http: new HttpClient(app),
    close: async () => {
      await zekka.close();
      await drop();
    },
  };
}
