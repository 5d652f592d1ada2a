/**
 * @module routes/account
 * The signed-in user's own account: contract rows 5–8 and 13–17 under `/api/v1/auth` (profile, export,
 * deletion, sessions, API keys). Every route needs authentication.
 */

import { Type } from '@sinclair/typebox';
import {
  AccountExport as AccountExportSchema,
  ApiKey,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKey,
  DeleteMeBody,
  Ok,
  Session,
  SessionParams,
  UpdateMeBody,
  UserEnvelope,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, NoContent, ok } from './envelope.ts';
import { withIdempotency } from './idempotency.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'account';

export function accountRoutes({ zekka, auth, idempotencyCache, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/auth' })
    .use(auth)
    .get('/me', async ({ actor }) => ok({ user: await zekka.auth.me(actor) }), {
      auth: true,
      response: responses({ 200: Ok(UserEnvelope), ...errors(401, 429) }),
      detail: { summary: 'Your account', tags: [TAG], description: 'The signed-in user.' },
    })
    .patch('/me', async ({ actor, body }) => ok({ user: await zekka.auth.updateMe(actor, body) }), {
      auth: true,
      ...strictBody(UpdateMeBody),
      response: responses({ 200: Ok(UserEnvelope), ...errors(400, 401, 415, 429) }),
      detail: {
        summary: 'Update your profile',
        tags: [TAG],
        description:
          'Changes your name and avatar URL (`null` removes it). Fields left out keep their value.',
      },
    })
    .delete(
      '/me',
      async ({ actor, body, status }) => {
        await zekka.auth.deleteMe(actor, body.password);
        return status(204, undefined);
      },
      {
        auth: true,
        ...strictBody(DeleteMeBody),
        response: responses({ 204: NoContent, ...errors(400, 401, 403, 415, 429) }),
        detail: {
          summary: 'Delete your account',
          tags: [TAG],
          description:
            'Needs your password. Deletes the account and everything only it owns; projects you own alone ' +
            'are deleted with it. Not available to API keys (`403`).',
        },
      },
    )
    .get('/me/export', async ({ actor }) => ok(await zekka.auth.exportMe(actor)), {
      auth: true,
      response: responses({ 200: Ok(AccountExportSchema), ...errors(401, 403, 429) }),
      detail: {
        summary: 'Export your data',
        tags: [TAG],
        description:
          'Every record about you: account, sessions, API keys (never the keys), projects, memberships.',
      },
    })
    .get('/sessions', async ({ actor }) => ok(await zekka.auth.listSessions(actor)), {
      auth: true,
      response: responses({ 200: Ok(Type.Array(Session)), ...errors(401, 429) }),
      detail: {
        summary: 'Your active sessions',
        tags: [TAG],
        description: 'One entry per signed-in device; `current` marks the session of this request.',
      },
    })
    .delete(
      '/sessions/:sessionId',
      async ({ actor, params, status }) => {
        await zekka.auth.revokeSession(actor, params.sessionId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: SessionParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 404, 429) }),
        detail: {
          summary: 'Sign a session out',
          tags: [TAG],
          description: 'Revokes one of your sessions; its tokens stop working at once.',
        },
      },
    )
    .get('/api-keys', async ({ actor }) => ok(await zekka.auth.listApiKeys(actor)), {
      auth: true,
      response: responses({ 200: Ok(Type.Array(ApiKey)), ...errors(401, 429) }),
      detail: {
        summary: 'Your API keys',
        tags: [TAG],
        description: 'Names, prefixes and dates; the keys themselves are never shown again.',
      },
    })
    .post(
      '/api-keys',
      ({ actor, body, request, set, status }) =>
        withIdempotency(idempotencyCache, { actor, body, request, set }, async () =>
          status(201, ok(await zekka.auth.createApiKey(actor, body))),
        ),
      {
        auth: true,
        headers: IdempotencyHeaders,
        ...strictBody(CreateApiKeyBody),
        response: responses({ 201: Ok(CreatedApiKey), ...errors(400, 401, 403, 415, 429) }),
        detail: {
          summary: 'Create an API key',
          tags: [TAG],
          description:
            'Returns the key (`zk_…`) this once; store it now. It acts as you until it expires or is revoked.',
        },
      },
    )
    .delete(
      '/api-keys/:keyId',
      async ({ actor, params, status }) => {
        await zekka.auth.revokeApiKey(actor, params.keyId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: ApiKeyParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 404, 429) }),
        detail: { summary: 'Revoke an API key', tags: [TAG], description: 'The key stops working at once.' },
      },
    );
}
