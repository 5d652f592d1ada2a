import { describe, expect, test } from 'bun:test';
import pg from 'pg';
import { checkSchemaName, clientConfig } from './connection.ts';
import { isPostgresUrl } from './url.ts';

const base = { schema: 'zekka', applicationName: 'zekka', connectionTimeoutMs: 3000 };

/**
 * What `pg` will actually connect with: its own merge of the config and the URL, which a client computes
 * when constructed (no connection is opened). `connectionParameters` is not in pg's typings.
 */
const effective = (config: ReturnType<typeof clientConfig>) =>
  (new pg.Client(config) as unknown as { connectionParameters: Record<string, unknown> })
    .connectionParameters;

describe('clientConfig', () => {
  test('puts the schema on search_path and the timeouts and application name on the session', () => {
    const config = clientConfig({ ...base, url: 'postgres://u@db:5432/app', statementTimeoutMs: 30000 });
    expect(effective(config)).toMatchObject({
      host: 'db',
      database: 'app',
      options: '-c search_path=zekka',
      statement_timeout: 30000,
      application_name: 'zekka',
    });
    expect(config).toMatchObject({ connectionTimeoutMillis: 3000, keepAlive: true });
  });

  test('keeps an options parameter of the URL, adding the search path to it', () => {
    const config = clientConfig({
      ...base,
      url: 'postgres://u@db/app?options=-c%20work_mem%3D8MB&sslmode=disable',
    });
    expect(effective(config)).toMatchObject({
      options: '-c work_mem=8MB -c search_path=zekka',
      ssl: false,
    });
  });

  test('the URL’s application_name and sslmode win over the options, as in pg', () => {
    const config = clientConfig({
      ...base,
      ssl: false,
      url: 'postgres://u@db/app?application_name=probe&sslmode=no-verify',
    });
    expect(effective(config)).toMatchObject({
      application_name: 'probe',
      ssl: { rejectUnauthorized: false },
    });
    expect(
      effective(clientConfig({ ...base, url: 'postgres://u@db/app', ssl: { ca: 'PEM' } })),
    ).toMatchObject({
      ssl: { ca: 'PEM' },
    });
  });

  test('a schema name that would need quoting is refused', () => {
    expect(checkSchemaName('zekka_t_01ab')).toBe('zekka_t_01ab');
    for (const bad of ['Zekka', 'my-schema', '1abc', 'a b', 'x;drop', '', 'a'.repeat(64)]) {
      expect(() => checkSchemaName(bad)).toThrow(/Invalid Postgres schema name/);
    }
  });
});

test('isPostgresUrl accepts postgres:// and postgresql:// only', () => {
  expect(isPostgresUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(true);
  expect(isPostgresUrl('postgresql://db/zekka?sslmode=require')).toBe(true);
  expect(isPostgresUrl('sqlite:./data/zekka.db')).toBe(false);
  expect(isPostgresUrl('postgres:/missing-slashes')).toBe(false);
  expect(isPostgresUrl('mysql://db/zekka')).toBe(false);
});
