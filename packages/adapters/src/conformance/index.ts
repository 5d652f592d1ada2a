/**
 * @module @zekka/adapters/conformance
 * Shared conformance suites, one per port, that every adapter runs with its own factory.
 */

export { runCacheConformance } from './cache-suite.ts';
export { runEventBusConformance } from './event-bus-suite.ts';
export { type PostgresTestTarget, postgresTestTarget } from './postgres-target.ts';
export { type RedisTestTarget, redisTestTarget } from './redis-target.ts';
export { runStoreConformance, type StoreFactory, type StoreHarness } from './store-suite.ts';
