/**
 * @module routes/models
 * Contract row 60, `GET /api/v1/models`: the models this server is configured with, their prices and
 * limits. The list comes from configuration, so any signed-in user may read it.
 */
import { Type } from '@sinclair/typebox';
import { ModelInfo, Ok } from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, ok } from './envelope.ts';
import type { RouteDeps } from './route-deps.ts';

export function modelRoutes({ zekka, auth, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/models' }).use(auth).get('', () => ok(zekka.models.list()), {
    auth: true,
    response: responses({ 200: Ok(Type.Array(ModelInfo)), ...errors(401, 429) }),
    detail: {
      summary: 'List the configured models',
      tags: ['models'],
      description:
        'The default model first (`default: true`), then the others. `prices` are USD per 1M tokens by ' +
        'usage kind (`input`, `output`, `cacheRead`, `cacheWrite`; reasoning tokens are billed as ' +
        'output), or `null` when the model has no known price — its usage is then recorded with ' +
        '`costUsd: null`. `contextWindow` and `maxOutputTokens` are in tokens.',
    },
  });
}
