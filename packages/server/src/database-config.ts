/**
 * @module database-config
 * The database part of the server's configuration: which store (`DATABASE_URL`: SQLite or Postgres) and,
 * for Postgres, the schema, pool size and timeouts. SSL is set in the URL itself (`sslmode`, `sslrootcert`),
 * the way every Postgres client and hosting provider already writes it, so there is no separate variable.
 */
import { join } from 'node:path';
import { type EnvReader, readInteger } from './env-values.ts';

/** The validated database settings (part of `ServerConfig`). */
export interface DatabaseConfig {
  /**
   * `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`.
   * @default `sqlite:<dataDir>/zekka.db`
   */
  databaseUrl: string;
  /** Postgres schema the tables live in; created by the migrations when missing. @default 'public' */
  databaseSchema: string;
  /** Most connections the Postgres pool opens. @default 10 */
  databasePoolMax: number;
  /** Postgres cancels a statement running longer than this. @default 30000 */
  databaseStatementTimeoutMs: number;
  /** Opening a Postgres connection (or waiting for a free one) fails after this. @default 3000 */
  databaseConnectTimeoutMs: number;
}

const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'] as const;
/** The `sslmode` values `pg` understands (libpq's, plus its own `no-verify`). */
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
/** Unquoted-identifier rules, lower case only (so `psql` finds it without quotes), not `pg_`-reserved. */
const SCHEMA_NAME = /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/;
/** Postgres' own limit for `statement_timeout` (a 32-bit millisecond count). */
const MAX_STATEMENT_TIMEOUT_MS = 2_147_483_647;
const POSTGRES_ONLY = [
  'DATABASE_SCHEMA',
  'DATABASE_POOL_MAX',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'DATABASE_CONNECT_TIMEOUT_MS',
];

/** Reads `DATABASE_URL` and the Postgres settings; bad values go to `problems`, one line each. */
export function readDatabaseConfig(
  read: EnvReader,
  dataDir: string,
  problems: string[],
  warnings: string[],
): DatabaseConfig {
  const databaseUrl = read('DATABASE_URL') ?? `sqlite:${join(dataDir, 'zekka.db')}`;
  const urlProblem = databaseUrlProblem(databaseUrl);
  if (urlProblem !== undefined) problems.push(`DATABASE_URL: ${urlProblem}`);

  const databaseSchema = read('DATABASE_SCHEMA') ?? 'public';
  if (!SCHEMA_NAME.test(databaseSchema)) {
    problems.push(
      `DATABASE_SCHEMA: must be a lower-case name of letters, digits and _ (up to 63, not starting with a digit or pg_) (got "${databaseSchema}")`,
    );
  }
  const databasePoolMax = readInteger(read, 'DATABASE_POOL_MAX', 10, 1, 1000, problems);
  const databaseStatementTimeoutMs = readInteger(
    read,
    'DATABASE_STATEMENT_TIMEOUT_MS',
    30_000,
    1,
    MAX_STATEMENT_TIMEOUT_MS,
    problems,
  );
  const databaseConnectTimeoutMs = readInteger(
    read,
    'DATABASE_CONNECT_TIMEOUT_MS',
    3000,
    1,
    600_000,
    problems,
  );

  if (urlProblem === undefined && !isPostgresDatabaseUrl(databaseUrl)) {
    const ignored = POSTGRES_ONLY.filter((name) => read(name) !== undefined);
    if (ignored.length > 0)
      warnings.push(`${ignored.join(', ')}: only used with Postgres; ignored for SQLite`);
  }
  return {
    databaseUrl,
    databaseSchema,
    databasePoolMax,
    databaseStatementTimeoutMs,
    databaseConnectTimeoutMs,
  };
}

/** True for `postgres://` and `postgresql://` URLs (checked by scheme only; no driver is loaded). */
export function isPostgresDatabaseUrl(url: string): boolean {
  return POSTGRES_SCHEMES.some((scheme) => url.startsWith(`${scheme}//`));
}

/**
 * True for the database URLs this server can open: `sqlite:<path>`, `sqlite://<path>`, `sqlite::memory:`,
 * and well-formed `postgres://` / `postgresql://` URLs.
 */
export function isSupportedDatabaseUrl(url: string): boolean {
  return databaseUrlProblem(url) === undefined;
}

/**
 * The URL with any password replaced by `***`, for messages and logs.
 * @example redactDatabaseUrl('postgres://app:s3cret@db/zekka') // 'postgres://app:***@db/zekka'
 */
export function redactDatabaseUrl(url: string): string {
  return url
    .replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*:)[^@/?#]*@/, '$1***@')
    .replace(/([?&]password=)[^&#]*/i, '$1***');
}

function databaseUrlProblem(url: string): string | undefined {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return path === '' ? 'sqlite: needs a path (sqlite:<path> or sqlite::memory:)' : undefined;
  }
  if (!isPostgresDatabaseUrl(url)) {
    return 'must be sqlite:<path>, sqlite::memory: or postgres://user:password@host:5432/database';
  }
  // `pg` accepts `postgres://user@/db?host=/socket/dir` by slotting in a host; check the same way.
  const candidate = URL.canParse(url) ? url : url.replace('@/', '@localhost/');
  if (!URL.canParse(candidate)) return 'is not a valid postgres:// URL';
  const sslMode = new URL(candidate).searchParams.get('sslmode');
  if (sslMode !== null && !SSL_MODES.some((mode) => mode === sslMode)) {
    return `sslmode must be one of ${SSL_MODES.join(', ')} (got "${sslMode}")`;
  }
  return undefined;
}
