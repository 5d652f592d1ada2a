/**
 * @module app
 * A plain Bun host application that embeds Zekka's core — no `@zekka/server`. It signs its own users in
 * (see `host-auth.ts`), turns each into a Zekka actor with `zekka.auth.actorForUser`, calls
 * `zekka.projects` directly, and logs the project events it hears on `zekka.events`.
 *
 * Run it: `bun examples/embed/src/app.ts`, then
 * `curl -H 'Authorization: Bearer alice-token' localhost:3001/projects`.
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import {
  type AddMemberInput,
  type CreateProjectInput,
  createZekka,
  isZekkaError,
  silentLogger,
  topics,
  type UpdateProjectInput,
  type UserActor,
  type Zekka,
  type ZekkaEvent,
} from '@zekka/core';
import { HostAuth, type HostUser } from './host-auth.ts';

export type { HostUser } from './host-auth.ts';

export interface EmbedAppOptions {
  /** The host's own accounts. */
  users: HostUser[];
  /** `0` picks a free port. @default 3001 */
  port?: number;
  /** A `sqlite:` URL. @default 'sqlite::memory:' */
  databaseUrl?: string;
  /** @default a random secret (Zekka's tokens are not used by this host, but core needs a key) */
  jwtSecret?: string;
  /** Called for every project event the host hears. @default one JSON line on stdout */
  onEvent?: (event: ZekkaEvent) => void;
}

export interface EmbedApp {
  url: URL;
  zekka: Zekka;
  stop(): Promise<void>;
}

const logEvent = (event: ZekkaEvent) => console.log(JSON.stringify({ event: event.event, data: event.data }));

/**
 * Starts the host: Zekka over SQLite, the memory cache and bus and the Bun hasher, behind `Bun.serve`.
 * @example
 * const app = await startEmbedApp({ users: [{ token: 't', email: 'a@example.com', name: 'A' }], port: 0 });
 */
export async function startEmbedApp(options: EmbedAppOptions): Promise<EmbedApp> {
  const zekka = createZekka({
    store: createSqliteStore({ url: options.databaseUrl ?? 'sqlite::memory:' }),
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: createModelRegistry(),
    logger: silentLogger,
    config: { auth: { jwtSecret: options.jwtSecret ?? crypto.randomUUID() + crypto.randomUUID() } },
  });
  const auth = new HostAuth(zekka, options.users);
  const onEvent = options.onEvent ?? logEvent;
  const unsubscribers = new Map<string, () => void>();

  /** The bus is topic-based (no wildcards): the host listens to each project it has seen. */
  const listen = (topic: string) => {
    if (!unsubscribers.has(topic)) unsubscribers.set(topic, zekka.events.subscribe(topic, onEvent));
  };

  /** Runs `handler` as the signed-in host user, answering Zekka's errors with their status. */
  const asUser =
    <Path extends string>(handler: (actor: UserActor, request: Bun.BunRequest<Path>) => Promise<Response>) =>
    async (request: Bun.BunRequest<Path>): Promise<Response> => {
      try {
        const actor = await auth.actorFor(request);
        if (!actor) return Response.json({ error: 'Sign in to the host first' }, { status: 401 });
        return await handler(actor, request);
      } catch (error) {
        if (isZekkaError(error)) {
          return Response.json(
            { error: { code: error.code, message: error.message } },
            { status: error.status },
          );
        }
        console.error(error);
        return Response.json({ error: 'Internal error' }, { status: 500 });
      }
    };

  const server = Bun.serve({
    port: options.port ?? 3001,
    routes: {
      '/projects': {
        GET: asUser<'/projects'>(async (actor, request) => {
          const query = new URL(request.url).searchParams;
          const page = await zekka.projects.list(actor, {
            limit: Number(query.get('limit') ?? 20),
            offset: Number(query.get('offset') ?? 0),
          });
          for (const project of page.items) listen(topics.project(project.id));
          return Response.json(page);
        }),
        POST: asUser<'/projects'>(async (actor, request) => {
          const project = await zekka.projects.create(actor, await readJson<CreateProjectInput>(request));
          listen(topics.project(project.id));
          return Response.json(project, { status: 201 });
        }),
      },
      '/projects/:projectId': {
        PATCH: asUser<'/projects/:projectId'>(async (actor, request) => {
          const patch = await readJson<UpdateProjectInput>(request);
          return Response.json(await zekka.projects.update(actor, request.params.projectId, patch));
        }),
      },
      '/projects/:projectId/members': {
        POST: asUser<'/projects/:projectId/members'>(async (actor, request) => {
          const input = await readJson<AddMemberInput>(request);
          const member = await zekka.projects.addMember(actor, request.params.projectId, input);
          return Response.json(member, { status: 201 });
        }),
      },
    },
    fetch: () => Response.json({ error: 'Not found' }, { status: 404 }),
  });

  return {
    url: server.url,
    zekka,
    async stop() {
      for (const unsubscribe of unsubscribers.values()) unsubscribe();
      await server.stop(true);
      await zekka.close();
    },
  };
}

/**
 * The JSON body, typed as the service input it is meant to be. Core validates every input against its
 * schema, so a malformed body (or `null` for unparsable JSON) is refused there with `VALIDATION_FAILED`.
 */
async function readJson<T>(request: Request): Promise<T> {
  return (await request.json().catch(() => null)) as T;
}

if (import.meta.main) {
  const app = await startEmbedApp({
    users: [
      { token: 'alice-token', email: 'alice@example.com', name: 'Alice' },
      { token: 'bob-token', email: 'bob@example.com', name: 'Bob' },
    ],
    databaseUrl: process.env.DATABASE_URL ?? 'sqlite:./data/embed.db',
  });
  console.log(`embed host listening on ${app.url}`);
}
