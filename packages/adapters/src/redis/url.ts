/**
 * @module redis/url
 * Whether a connection string names Redis, so configuration can pick the Redis adapters by URL alone.
 */

/** True for `redis://…` and `rediss://…` (TLS) URLs. */
export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//i.test(url);
}
