/**
 * @module plugins/auth
 * The `auth: true` route option: turns `Authorization: Bearer <access token | API key>` into the calling
 * `actor` (via core's `auth.authenticate`, which decides validity, expiry and revocation) and counts the
 * request against the caller's API rate limit. Routes without it are anonymous.
 */
import type { UserActor, Zekka } from '@zekka/core';
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';
import type { ClientIpResolver } from '../client-ip.ts';
import { enforceRateLimit, ipKey, type RateLimits } from './rate-limit.ts';

export interface AuthPluginOptions {
  zekka: Zekka;
  limits: RateLimits;
  clientIp: ClientIpResolver;
}

const BEARER_PREFIX = /^Bearer +/i;

/** The credential in an `Authorization` header; throws `AUTH_REQUIRED` when there is none. */
export function bearerCredential(header: string | null): string {
  const credential =
    header !== null && BEARER_PREFIX.test(header) ? header.replace(BEARER_PREFIX, '').trim() : '';
  if (credential === '') {
    throw new ZekkaError(
      'AUTH_REQUIRED',
      'Sign in first: send Authorization: Bearer <access token or API key>',
    );
  }
  return credential;
}

export function authPlugin({ zekka, limits, clientIp }: AuthPluginOptions) {
  const { api } = limits;
  return new Elysia({ name: 'zekka/auth', seed: zekka }).macro({
    auth: {
      async resolve({ request, server }): Promise<{ actor: UserActor }> {
        let actor: UserActor;
        try {
          actor = await zekka.auth.authenticate(bearerCredential(request.headers.get('authorization')));
        } catch (error) {
          // Failed attempts count against the client's IP, so guessing tokens is rate limited too.
          if (api !== null) await enforceRateLimit(api, ipKey(clientIp(request, server)));
          throw error;
        }
        if (api !== null) await enforceRateLimit(api, `user:${actor.userId}`);
        return { actor };
      },
    },
  });
}
