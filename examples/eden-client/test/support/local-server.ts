/**
 * A real Zekka server for the example's tests: in-memory SQLite, the echo model, no rate limits, listening
 * on a free port.
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import { createZekka, silentLogger, type Zekka } from '@zekka/core';
import { type App, createServer } from '@zekka/server';

export interface LocalServer {
  zekka: Zekka;
  app: App;
  /** e.g. `http://localhost:41234` */
  url: string;
  stop(): Promise<void>;
}

export function startLocalServer(): LocalServer {
  const zekka = createZekka({
    store: createSqliteStore({ url: 'sqlite::memory:' }),
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: createModelRegistry(),
    logger: silentLogger,
    config: { auth: { jwtSecret: 'eden-client-test-secret-of-32-bytes!' } },
  });
  const app = createServer(zekka, { rateLimit: false }).listen(0);
  return {
    zekka,
    app,
    url: `http://localhost:${app.server?.port}`,
    async stop() {
      await app.stop(true);
      await zekka.close();
    },
  };
}
