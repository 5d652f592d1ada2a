/**
 * @module
 * Starting the servers under test, each in its own process on a free port, and seeding Zekka over its
 * public HTTP API (the benchmark knows the contract, not the server's internals).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort, type ServerProcess, spawnServer, waitForOk } from './processes.ts';

export interface RunPaths {
  /** The monorepo root, where commands run. */
  repoRoot: string;
  /** Scratch space for databases; removed when the runner ends. */
  tmpDir: string;
  /** Where each server's stdout and stderr go (`<name>.log`). */
  logDir: string;
  /** Path of Zekka's CLI entry, relative to the repo root or absolute. */
  zekkaCli: string;
}

export interface StartedServer<Seed> {
  baseUrl: string;
  process: ServerProcess;
  seed: Seed;
}

/** What the Zekka scenarios build their requests from. */
export interface ZekkaSeed {
  /** Base URL of the server seeded, for seeding more later ({@link seedConversations}). */
  baseUrl: string;
  accessToken: string;
  /** The seeded projects, all owned by the seeded user. */
  projectIds: string[];
  /**
   * Conversations by set name (see `ZekkaScenario.conversations`), all in the first seeded project, with no
   * model set, so the server's default (`echo`) answers. Filled by {@link seedConversations}.
   */
  conversations: Record<string, string[]>;
}

/** How many projects the seed creates: one full default page for `project.list`. */
export const SEEDED_PROJECTS = 20;

/** The password every seeded user gets; it satisfies the password policy. */
const SEED_PASSWORD = 'correct-Horse-battery-9';

/** The shell's environment with `overrides` applied; an `undefined` override unsets the variable. */
function childEnv(overrides: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...process.env, NODE_ENV: 'production', ...overrides };
}

/**
 * The model settings Zekka reads (`@zekka/adapters/models`, `modelRegistryFromEnv`), all unset for the
 * child: with no provider configured the built-in `echo` model answers, offline and free, with no token
 * delay, whatever the shell exports. Every `OPENAI_*` and `ANTHROPIC_*` variable goes too (keys, model
 * lists, base URLs, the OpenAI-compatible server).
 */
function withoutModelConfig(): Record<string, undefined> {
  const unset: Record<string, undefined> = {
    DEFAULT_MODEL: undefined,
    FALLBACK_MODEL: undefined,
    MODEL_TIMEOUT_MS: undefined,
    MODEL_PRICES: undefined,
    ECHO_TOKEN_DELAY_MS: undefined,
  };
  for (const name of Object.keys(process.env)) {
    if (/^(OPENAI|ANTHROPIC)_/.test(name)) unset[name] = undefined;
  }
  return unset;
}

export async function startReference(paths: RunPaths): Promise<StartedServer<undefined>> {
  const port = freePort();
  const server = spawnServer(
    'reference server',
    [process.execPath, join(import.meta.dir, 'reference-server.ts')],
    {
      cwd: paths.repoRoot,
      env: childEnv({ PORT: String(port), FLOOR_DIR: paths.tmpDir }),
      logPath: join(paths.logDir, 'reference.log'),
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForOk(server, `${baseUrl}/ref`);
  return { baseUrl, process: server, seed: undefined };
}

/** Zekka from its CLI on a fresh SQLite file, with rate limits raised out of the way, then seeded. */
export function startZekkaSqlite(paths: RunPaths): Promise<StartedServer<ZekkaSeed>> {
  return startZekka(paths, 'zekka', { DATABASE_URL: `sqlite:${join(paths.tmpDir, 'bench.db')}` });
}

/**
 * Zekka from its CLI on Postgres, in `schema` (empty; the server migrates it at start), with the same
 * settings as the SQLite server otherwise, then seeded the same way.
 */
export function startZekkaPostgres(
  paths: RunPaths,
  postgresUrl: string,
  schema: string,
): Promise<StartedServer<ZekkaSeed>> {
  return startZekka(paths, 'zekka-postgres', { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema });
}

/**
 * Zekka for `ws.fanout` on a fresh SQLite file, started like the SQLite server but with the echo model
 * pausing `echoTokenDelayMs` between tokens (so a generation's deltas are spread out) and the
 * file-descriptor limit raised to the hard limit (`ulimit -n`), for thousands of sockets. `exec` keeps the
 * shell's pid, so `process.proc.pid` is the server's own (for its RSS).
 */
export function startZekkaWs(
  paths: RunPaths,
  name: string,
  echoTokenDelayMs: number,
): Promise<StartedServer<ZekkaSeed>> {
  return startZekka(
    paths,
    name,
    { DATABASE_URL: `sqlite:${join(paths.tmpDir, `${name}.db`)}` },
    { ECHO_TOKEN_DELAY_MS: String(echoTokenDelayMs) },
    true,
  );
}

/** `cmd` run by `sh` after `ulimit -n` is raised to the hard limit; `exec` keeps the pid. */
export function withRaisedFdLimit(cmd: string[]): string[] {
  const quoted = cmd.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  return ['sh', '-c', `ulimit -n "$(ulimit -Hn)"; exec ${quoted}`];
}

async function startZekka(
  paths: RunPaths,
  name: string,
  database: Record<string, string>,
  extraEnv: Record<string, string> = {},
  raiseFdLimit = false,
): Promise<StartedServer<ZekkaSeed>> {
  const port = freePort();
  const cmd = [process.execPath, paths.zekkaCli, 'serve'];
  const server = spawnServer(`${name} server`, raiseFdLimit ? withRaisedFdLimit(cmd) : cmd, {
    cwd: paths.repoRoot,
    env: childEnv({
      PORT: String(port),
      ...database,
      JWT_SECRET: randomBytes(36).toString('base64url'), // 48 characters
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      // These keep the run self-contained whatever the shell exports: nothing written under the repo's
      // ./data, nothing listening beyond loopback, seeding never blocked, in-memory cache and limits.
      DATA_DIR: join(paths.tmpDir, `${name}-data`),
      HOST: '127.0.0.1',
      REQUIRE_EMAIL_VERIFICATION: 'false',
      REDIS_URL: undefined,
      ...withoutModelConfig(),
      ...extraEnv,
    }),
    logPath: join(paths.logDir, `${name}.log`),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Startup applies migrations; give a cold machine time.
  await waitForOk(server, `${baseUrl}/health`, 60_000);
  return { baseUrl, process: server, seed: await seedZekka(baseUrl) };
}

async function seedZekka(baseUrl: string): Promise<ZekkaSeed> {
  const registered = await postJson(baseUrl, '/api/v1/auth/register', undefined, {
    email: `bench-${randomUUID()}@example.com`,
    password: SEED_PASSWORD,
    name: 'Bench User',
  });
  const accessToken = stringField(registered, 'accessToken', 'POST /api/v1/auth/register');
  const projectIds: string[] = [];
  for (let i = 1; i <= SEEDED_PROJECTS; i++) {
    const project = await postJson(baseUrl, '/api/v1/projects', accessToken, { name: `Bench project ${i}` });
    projectIds.push(stringField(project, 'id', 'POST /api/v1/projects'));
  }
  return { baseUrl, accessToken, projectIds, conversations: {} };
}

/**
 * Makes sure `seed.conversations[set]` holds at least `count` conversations, creating the missing ones in
 * the first seeded project (`POST /api/v1/conversations`, contract row 35).
 */
export async function seedConversations(seed: ZekkaSeed, set: string, count: number): Promise<void> {
  const ids = seed.conversations[set] ?? [];
  seed.conversations[set] = ids;
  const projectId = seed.projectIds[0];
  if (projectId === undefined) throw new Error('Seeding: no project to hold the conversations');
  while (ids.length < count) {
    const conversation = await postJson(seed.baseUrl, '/api/v1/conversations', seed.accessToken, {
      projectId,
      title: `Bench ${set} ${ids.length + 1}`,
    });
    ids.push(stringField(conversation, 'id', 'POST /api/v1/conversations'));
  }
}

/**
 * Registers `count` more users and adds each to `projectId` as a viewer (`POST …/members`, by the seeded
 * owner), `concurrency` at a time (registration hashes a password: argon2id, on the server's thread pool).
 * Returns their access tokens.
 */
export async function seedMembers(
  seed: ZekkaSeed,
  projectId: string,
  count: number,
  concurrency = 8,
): Promise<string[]> {
  const tokens: string[] = [];
  const one = async (): Promise<void> => {
    const email = `bench-member-${randomUUID()}@example.com`;
    const registered = await postJson(seed.baseUrl, '/api/v1/auth/register', undefined, {
      email,
      password: SEED_PASSWORD,
      name: 'Bench Member',
    });
    tokens.push(stringField(registered, 'accessToken', 'POST /api/v1/auth/register'));
    await postJson(seed.baseUrl, `/api/v1/projects/${projectId}/members`, seed.accessToken, {
      email,
      role: 'viewer',
    });
  };
  for (let done = 0; done < count; done += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, count - done) }, one));
  }
  return tokens;
}

/** POSTs JSON and returns the envelope's `data`, throwing with the response on anything but 2xx. */
async function postJson(
  baseUrl: string,
  path: string,
  accessToken: string | undefined,
  body: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (accessToken !== undefined) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`Seeding: POST ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  const envelope: unknown = JSON.parse(text);
  if (typeof envelope !== 'object' || envelope === null || !('data' in envelope)) {
    throw new Error(`Seeding: POST ${path} answered without a data envelope: ${text.slice(0, 500)}`);
  }
  return envelope.data;
}

function stringField(data: unknown, field: string, what: string): string {
  const value =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string') {
    const hint =
      field === 'accessToken'
        ? ' (is e-mail verification required by the config? the bench needs it off)'
        : '';
    throw new Error(`Seeding: ${what} returned no string data.${field}${hint}: ${JSON.stringify(data)}`);
  }
  return value;
}
