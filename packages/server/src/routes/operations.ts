/**
 * @module routes/operations
 * `GET /health` (the process is up) and `GET /ready` (this instance can serve: the store and the cache
 * answer, and shutdown has not begun). Neither needs authentication or is rate limited, so probes
 * always get through. Their success bodies are not wrapped in the envelope (the contract shows them bare).
 */

import { Type } from '@sinclair/typebox';
import type { Zekka } from '@zekka/core';
import { ZekkaError } from '@zekka/core';
import { ErrorBody } from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import type { Readiness } from '../readiness.ts';
import { ANONYMOUS } from './route-deps.ts';

export interface OperationsOptions {
  zekka: Zekka;
  readiness: Readiness;
  /** Reported by `/health`. */
  version: string;
  /** `/ready` answers 503 when the checks take longer than this. @default 2000 */
  readyTimeoutMs?: number;
}

const TAG = 'operations';

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeSeconds: Type.Integer({ description: 'Whole seconds since the process started' }),
});

const Ready = Type.Object({
  status: Type.Literal('ready'),
  checks: Type.Object({ store: Type.Boolean(), cache: Type.Boolean() }),
});

const NOT_ANSWERING = { store: false, cache: false };

export function operationRoutes({ zekka, readiness, version, readyTimeoutMs = 2000 }: OperationsOptions) {
  const startedAt = performance.now();
  return new Elysia()
    .get(
      '/health',
      () => ({
        status: 'ok' as const,
        version,
        uptimeSeconds: Math.floor((performance.now() - startedAt) / 1000),
      }),
      {
        response: { 200: Health },
        detail: {
          summary: 'Liveness',
          tags: [TAG],
          security: ANONYMOUS,
          description: 'Answers 200 while the process runs. Not wrapped in the envelope, for simple probes.',
        },
      },
    )
    .get(
      '/ready',
      async () => {
        if (readiness.shuttingDown) throw new ZekkaError('UNAVAILABLE', 'Shutting down');
        // A probe that hangs tells a load balancer nothing (and piles up while a database is black-holed),
        // so a check that has not answered in time counts as failed.
        const checks = await withTimeout(zekka.health(), readyTimeoutMs).catch(() => NOT_ANSWERING);
        if (!checks.store || !checks.cache) {
          const failing = [!checks.store && 'store', !checks.cache && 'cache'].filter(Boolean).join(' and ');
          throw new ZekkaError('UNAVAILABLE', `Not ready: the ${failing} did not answer`);
        }
        return { status: 'ready' as const, checks };
      },
      {
        response: {
          200: Ready,
          503: Type.Object(ErrorBody.properties, { description: 'Not ready (`UNAVAILABLE`)' }),
        },
        detail: {
          summary: 'Readiness',
          tags: [TAG],
          security: ANONYMOUS,
          description:
            'Answers 200 when the store and the cache answer, and 503 `UNAVAILABLE` (in the error envelope) ' +
            'otherwise (also when they take longer than 2 s to answer) and from the moment shutdown begins, ' +
            'so a load balancer drains this instance.',
        },
      },
    );
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
