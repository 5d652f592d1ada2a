/**
 * @module plugins/rate-limit
 * Two limits: the anonymous auth routes (register, login, refresh, verify-email, forgot/reset-password)
 * per client IP, which slows credential stuffing; and every other `/api/v1` route per user (checked by
 * the auth plugin right after it knows the user) or per IP for requests that fail to authenticate.
 * Over a limit → `429 RATE_LIMITED` with `Retry-After`.
 */
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';
import type { ClientIpResolver } from '../client-ip.ts';
import { createMemoryRateLimiter, type RateLimiter, type RateLimiterSpec } from '../rate-limiter.ts';

export interface RateLimitOptions {
  /** @default true */
  enabled?: boolean;
  /** Requests per minute per IP on the anonymous auth routes. @default 20 */
  authPerMinute?: number;
  /** Requests per minute per user (or IP) on the other `/api/v1` routes. @default 600 */
  apiPerMinute?: number;
  /**
   * Builds each limiter; pass one backed by Redis (see `fromRateLimiterFlexible`) when several instances
   * share the limits. @default createMemoryRateLimiter
   */
  createLimiter?: (spec: RateLimiterSpec) => RateLimiter;
}

/** The limiters in use; `null` when limiting is off. */
export interface RateLimits {
  auth: RateLimiter | null;
  api: RateLimiter | null;
}

/** Builds the limiters from options; `false` or `{ enabled: false }` turns limiting off. */
export function createRateLimits(options: RateLimitOptions | false = {}): RateLimits {
  if (options === false || options.enabled === false) return { auth: null, api: null };
  const create = options.createLimiter ?? createMemoryRateLimiter;
  return {
    auth: create({ name: 'auth', pointsPerMinute: options.authPerMinute ?? 20 }),
    api: create({ name: 'api', pointsPerMinute: options.apiPerMinute ?? 600 }),
  };
}

/** Counts one request for `key` and throws `RATE_LIMITED` (with `retryAfterSeconds`) when over the limit. */
export async function enforceRateLimit(limiter: RateLimiter, key: string): Promise<void> {
  const waitSeconds = await limiter.consume(key);
  if (waitSeconds > 0) {
    throw new ZekkaError('RATE_LIMITED', 'Too many requests; retry later', {
      retryAfterSeconds: waitSeconds,
    });
  }
}

/** The key for an anonymous client; requests with no known address share one bucket. */
export const ipKey = (ip: string | null): string => `ip:${ip ?? 'unknown'}`;

/**
 * The `authRateLimit: true` route option: counts the request against the auth limit of the client's IP.
 * @param limits - from `createRateLimits`.
 * @param clientIp - from `createClientIpResolver`.
 */
export function rateLimitPlugin(limits: RateLimits, clientIp: ClientIpResolver) {
  const { auth } = limits;
  return new Elysia({ name: 'zekka/rate-limit', seed: limits }).macro({
    authRateLimit: {
      beforeHandle({ request, server }) {
        if (auth === null) return;
        return enforceRateLimit(auth, ipKey(clientIp(request, server)));
      },
    },
  });
}
