/**
 * Every public entry point of every package loads and exports what its docs promise. The `exports` maps are
 * the packages' API (style rule 4): this fails when an entry point is renamed, broken or emptied.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dir, '..', '..', '..');

const expected: Record<string, string[]> = {
  '@zekka/core': ['createZekka', 'ZekkaError', 'ERROR_STATUS', 'topics', 'systemActor'],
  '@zekka/core/schemas': ['User', 'Project', 'Member', 'Session', 'ApiKey', 'Ok', 'OkPage', 'ErrorBody'],
  '@zekka/adapters/sqlite': ['createSqliteStore', 'parseSqliteUrl'],
  '@zekka/adapters/postgres': ['createPostgresStore', 'migratePostgres', 'isPostgresUrl'],
  '@zekka/adapters/memory': ['createMemoryCache', 'createMemoryEventBus'],
  '@zekka/adapters/redis': [
    'createRedisCache',
    'createRedisEventBus',
    'createRedisRateLimiterFactory',
    'createRedisClient',
    'isRedisUrl',
  ],
  '@zekka/adapters/bun': ['createBunPasswordHasher'],
  '@zekka/adapters/models': [
    'createModelRegistry',
    'modelRegistryFromEnv',
    'createEchoModel',
    'ECHO_MODEL_ID',
  ],
  '@zekka/adapters/conformance': [
    'runStoreConformance',
    'runCacheConformance',
    'runEventBusConformance',
    'postgresTestTarget',
    'redisTestTarget',
  ],
  '@zekka/server': ['createServer', 'loadConfig', 'buildZekka', 'startServer'],
  '@zekka/server/config': ['loadConfig'],
};

test('the test covers every entry point the packages declare', () => {
  const declared: string[] = [];
  for (const pkg of ['core', 'adapters', 'server']) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, string>;
    };
    for (const subpath of Object.keys(manifest.exports)) {
      declared.push(subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`);
    }
  }
  expect(declared.filter((name) => !(name in expected))).toEqual([]);
});

for (const [specifier, names] of Object.entries(expected)) {
  test(`${specifier} exports ${names.join(', ')}`, async () => {
    const mod = (await import(specifier)) as Record<string, unknown>;
    for (const name of names) expect(mod[name]).toBeDefined();
  });
}
