import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isPostgresDatabaseUrl, loadConfig, redactDatabaseUrl } from './config.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'zekka-config-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const SECRET = 's'.repeat(40);

/** The problems `loadConfig` reports for `env`, or [] when it loads. */
function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: `sqlite:${join(dataDir, 'zekka.db')}`,
      dataDir,
      nodeEnv: 'development',
      production: false,
      logLevel: 'info',
      corsOrigins: [],
      authRateLimitPerMinute: 20,
      apiRateLimitPerMinute: 600,
      requireEmailVerification: false,
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      validateResponses: true,
      databaseSchema: 'public',
      databasePoolMax: 10,
      databaseStatementTimeoutMs: 30_000,
      databaseConnectTimeoutMs: 3000,
    });
  });

  test('WebSocket limits default and can be tuned', () => {
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET }).realtime).toEqual({
      maxSocketsPerUser: 20,
      maxSubscriptions: 100,
      maxBufferedBytes: 1024 * 1024,
      idleTimeoutSeconds: 120,
    });
    const tuned = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      WS_MAX_SOCKETS_PER_USER: '500',
      WS_IDLE_TIMEOUT_SECONDS: '60',
    });
    expect(tuned.realtime).toMatchObject({ maxSocketsPerUser: 500, idleTimeoutSeconds: 60 });
    expect(() =>
      loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, WS_IDLE_TIMEOUT_SECONDS: '5000' }),
    ).toThrow(/WS_IDLE_TIMEOUT_SECONDS: must be an integer from 10 to 960/);
  });

  test('responses are checked at run time except in production, unless VALIDATE_RESPONSES says', () => {
    const production = { DATA_DIR: dataDir, JWT_SECRET: SECRET, NODE_ENV: 'production' };
    expect(loadConfig(production).validateResponses).toBe(false);
    expect(loadConfig({ ...production, VALIDATE_RESPONSES: 'true' }).validateResponses).toBe(true);
    expect(
      loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, VALIDATE_RESPONSES: '0' }).validateResponses,
    ).toBe(false);
    expect(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, VALIDATE_RESPONSES: 'yes' })).toThrow(
      /VALIDATE_RESPONSES: must be true, false, 1 or 0/,
    );
  });

  test('an empty value counts as unset', () => {
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, PORT: '', LOG_LEVEL: ' ' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
  });

  test('values are parsed', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite::memory:',
      LOG_LEVEL: 'debug',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
      API_RATE_LIMIT_PER_MINUTE: '100',
      REQUIRE_EMAIL_VERIFICATION: '1',
      TRUST_PROXY: 'true',
      PUBLIC_URL: 'https://zekka.example.com/',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'sqlite::memory:',
      logLevel: 'debug',
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      authRateLimitPerMinute: 5,
      apiRateLimitPerMinute: 100,
      requireEmailVerification: true,
      trustProxy: true,
      publicUrl: 'https://zekka.example.com',
    });
  });

  test('PUBLIC_URL defaults to the configured port', () => {
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, PORT: '4000' }).publicUrl).toBe(
      'http://localhost:4000',
    );
  });
});

describe('the database', () => {
  test('postgres:// and postgresql:// URLs are accepted, with the pool and timeouts', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      DATABASE_URL: 'postgresql://zekka:s3cret@db.internal:5433/zekka?sslmode=verify-full',
      DATABASE_SCHEMA: 'tenant_a',
      DATABASE_POOL_MAX: '25',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://zekka:s3cret@db.internal:5433/zekka?sslmode=verify-full',
      databaseSchema: 'tenant_a',
      databasePoolMax: 25,
      databaseStatementTimeoutMs: 5000,
      databaseConnectTimeoutMs: 1500,
    });
    expect(config.warnings).toEqual([]);
  });

  test('the forms pg accepts load: no password, a Unix socket host, every sslmode', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/test',
      'postgres://localhost/zekka',
      'postgres://zekka@/zekka?host=/var/run/postgresql',
      'postgres://[::1]:5432/zekka',
      ...['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'].map(
        (mode) => `postgres://db/zekka?sslmode=${mode}`,
      ),
    ]) {
      expect({ url, problems: problemsFor({ DATABASE_URL: url }) }).toEqual({ url, problems: [] });
    }
  });

  test('the Postgres-only settings warn, and are otherwise ignored, with SQLite', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      DATABASE_URL: 'sqlite::memory:',
      DATABASE_POOL_MAX: '5',
      DATABASE_SCHEMA: 'zekka',
    });
    expect(config.warnings).toEqual([
      'DATABASE_SCHEMA, DATABASE_POOL_MAX: only used with Postgres; ignored for SQLite',
    ]);
  });

  test('redactDatabaseUrl hides the password wherever the URL carries one', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db:5432/zekka')).toBe('postgres://app:***@db:5432/zekka');
    expect(redactDatabaseUrl('postgresql://app:p%40ss@db/zekka?sslmode=require')).toBe(
      'postgresql://app:***@db/zekka?sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://db/zekka?user=app&password=s3cret')).toBe(
      'postgres://db/zekka?user=app&password=***',
    );
    expect(redactDatabaseUrl('postgres://app@db/zekka')).toBe('postgres://app@db/zekka');
    expect(redactDatabaseUrl('sqlite:./data/zekka.db')).toBe('sqlite:./data/zekka.db');
  });

  test('isPostgresDatabaseUrl tells the dialect by scheme', () => {
    expect(isPostgresDatabaseUrl('postgres://db/zekka')).toBe(true);
    expect(isPostgresDatabaseUrl('postgresql://db/zekka')).toBe(true);
    expect(isPostgresDatabaseUrl('sqlite:./x.db')).toBe(false);
    expect(isPostgresDatabaseUrl('postgres:db')).toBe(false);
  });
});

describe('each bad value is reported on its own line', () => {
  const cases: [string, string, RegExp][] = [
    ['PORT', 'abc', /^PORT: must be an integer from 0 to 65535/],
    ['PORT', '70000', /^PORT: /],
    ['PORT', '-1', /^PORT: /],
    ['PORT', '80.5', /^PORT: /],
    [
      'DATABASE_URL',
      'mysql://localhost/zekka',
      /^DATABASE_URL: must be sqlite:<path>, sqlite::memory: or postgres:\/\//,
    ],
    ['DATABASE_URL', 'sqlite:', /^DATABASE_URL: sqlite: needs a path/],
    ['DATABASE_URL', 'postgres://[::1/zekka', /^DATABASE_URL: is not a valid postgres:\/\/ URL/],
    ['DATABASE_URL', 'postgres://db/zekka?sslmode=always', /^DATABASE_URL: sslmode must be one of disable, /],
    ['DATABASE_SCHEMA', 'Zekka', /^DATABASE_SCHEMA: must be a lower-case name/],
    ['DATABASE_SCHEMA', 'pg_zekka', /^DATABASE_SCHEMA: /],
    ['DATABASE_SCHEMA', 'zekka;drop', /^DATABASE_SCHEMA: /],
    ['DATABASE_POOL_MAX', '0', /^DATABASE_POOL_MAX: must be an integer from 1 to 1000 \(got "0"\)/],
    ['DATABASE_POOL_MAX', '1001', /^DATABASE_POOL_MAX: /],
    ['DATABASE_POOL_MAX', 'ten', /^DATABASE_POOL_MAX: /],
    [
      'DATABASE_STATEMENT_TIMEOUT_MS',
      '0',
      /^DATABASE_STATEMENT_TIMEOUT_MS: must be an integer from 1 to 2147483647/,
    ],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '2147483648', /^DATABASE_STATEMENT_TIMEOUT_MS: /],
    [
      'DATABASE_CONNECT_TIMEOUT_MS',
      '1.5',
      /^DATABASE_CONNECT_TIMEOUT_MS: must be an integer from 1 to 600000/,
    ],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0', /^DATABASE_CONNECT_TIMEOUT_MS: /],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL: must be one of debug, info, warn, error/],
    [
      'CORS_ORIGINS',
      'https://app.example.com/',
      /^CORS_ORIGINS: "https:\/\/app.example.com\/" is not an origin/,
    ],
    ['CORS_ORIGINS', 'app.example.com', /^CORS_ORIGINS: /],
    ['AUTH_RATE_LIMIT_PER_MINUTE', '0', /^AUTH_RATE_LIMIT_PER_MINUTE: must be an integer from 1/],
    ['API_RATE_LIMIT_PER_MINUTE', 'many', /^API_RATE_LIMIT_PER_MINUTE: must be an integer from 1/],
    ['REQUIRE_EMAIL_VERIFICATION', 'yes', /^REQUIRE_EMAIL_VERIFICATION: must be true, false, 1 or 0/],
    ['TRUST_PROXY', 'TRUE!', /^TRUST_PROXY: must be true, false, 1 or 0/],
    ['PUBLIC_URL', 'ftp://example.com', /^PUBLIC_URL: must be an http\(s\) URL/],
    ['JWT_SECRET', 'short', /^JWT_SECRET: must be at least 16 characters/],
  ];
  for (const [name, value, line] of cases) {
    test(`${name}=${value}`, () => {
      const problems = problemsFor({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(line);
    });
  }

  test('several bad values give one line each, in one error', () => {
    const problems = problemsFor({ PORT: 'x', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' });
    expect(problems.map((line) => line.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL', 'TRUST_PROXY']);
  });

  test('the error message lists every problem', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      /Invalid configuration:\n {2}PORT: .*\n {2}LOG_LEVEL: /,
    );
  });

  test('booleans accept exactly true, false, 1 and 0', () => {
    for (const [raw, value] of [
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
    ] as const) {
      expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, TRUST_PROXY: raw }).trustProxy).toBe(value);
    }
  });
});

describe('production', () => {
  const production = { NODE_ENV: 'production' };

  test('JWT_SECRET is required', () => {
    expect(() => loadConfig({ ...production, DATA_DIR: dataDir })).toThrow(ConfigError);
    expect(problemsFor({ ...production, JWT_SECRET: '' })).toEqual([
      'JWT_SECRET: required when NODE_ENV=production (at least 32 bytes)',
    ]);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  test('JWT_SECRET must be at least 32 bytes, counted as UTF-8', () => {
    expect(problemsFor({ ...production, JWT_SECRET: 'x'.repeat(31) })).toEqual([
      'JWT_SECRET: must be at least 32 bytes in production',
    ]);
    expect(problemsFor({ ...production, JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
    expect(problemsFor({ ...production, JWT_SECRET: 'é'.repeat(16) })).toEqual([]);
  });

  test('CORS_ORIGINS=* is refused; it is allowed in development', () => {
    expect(problemsFor({ ...production, CORS_ORIGINS: '*' })).toEqual([
      'CORS_ORIGINS: "*" is not allowed in production; list the origins',
    ]);
    expect(problemsFor({ CORS_ORIGINS: '*' })).toEqual([]);
  });

  test('the secret problem is reported with the others', () => {
    expect(problemsFor({ ...production, JWT_SECRET: '', PORT: 'x' })).toHaveLength(2);
  });
});

describe('the development JWT secret', () => {
  test('is generated once, kept in <DATA_DIR>/jwt-secret (0600) with a warning, and reused', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'jwt-secret');
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.warnings.some((warning) => warning.includes('generated'))).toBe(true);

    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.warnings.some((warning) => warning.includes(file))).toBe(true);
  });

  test('the data folder is created when missing', () => {
    const nested = join(dataDir, 'a', 'b');
    const config = loadConfig({ DATA_DIR: nested });
    expect(readFileSync(join(nested, 'jwt-secret'), 'utf8').trim()).toBe(config.jwtSecret);
  });

  test('is not written when another value is invalid', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, PORT: 'x' })).toThrow(ConfigError);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  test('a kept secret that is too short is a problem, not silently replaced', () => {
    writeFileSync(join(dataDir, 'jwt-secret'), 'short\n');
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(
      /jwt-secret holds a secret shorter than 32 bytes/,
    );
  });

  test('a set JWT_SECRET wins over the file; a short one only warns outside production', () => {
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'sixteen-chars-ok' });
    expect(config.jwtSecret).toBe('sixteen-chars-ok');
    expect(config.warnings).toEqual(['JWT_SECRET is shorter than 32 bytes; production would refuse it']);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });
});

describe('REDIS_URL', () => {
  const load = (env: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, ...env });

  test('unset: everything in memory, with the default key prefix', () => {
    const config = load();
    expect(config.redisUrl).toBeNull();
    expect(config.redisKeyPrefix).toBe('zekka:');
  });

  test('redis:// and rediss:// URLs are taken as they are', () => {
    expect(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(load({ REDIS_URL: 'rediss://:pw@cache.example.com:6380/2' }).redisUrl).toBe(
      'rediss://:pw@cache.example.com:6380/2',
    );
    expect(load({ REDIS_KEY_PREFIX: 'app-1:' }).redisKeyPrefix).toBe('app-1:');
  });

  test('anything else is refused, without echoing the value (it may hold a password)', () => {
    for (const value of ['http://127.0.0.1:6379', 'localhost:6379', 'redis://']) {
      try {
        load({ REDIS_URL: value });
        throw new Error(`accepted ${value}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([
          'REDIS_URL: must be a redis:// or rediss:// URL with a host',
        ]);
      }
    }
    expect(() => load({ REDIS_KEY_PREFIX: 'has space' })).toThrow('REDIS_KEY_PREFIX');
  });
});
