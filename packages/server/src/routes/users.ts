/**
 * @module routes/users
 * User administration: contract rows 18–19 under `/api/v1/users`. Admin only; core refuses anyone else
 * with `403`.
 */

import {
  AdminUserPatch,
  Ok,
  OkPage,
  User,
  UserEnvelope,
  UserListQuery,
  UserParams,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, ok, page } from './envelope.ts';
import { integerQuery } from './query.ts';
import type { RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'users';

export function userRoutes({ zekka, auth, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/users' })
    .use(auth)
    .get('', async ({ actor, query }) => page(await zekka.users.list(actor, query)), {
      auth: true,
      ...integerQuery(UserListQuery),
      response: responses({ 200: OkPage(User), ...errors(400, 401, 403, 429) }),
      detail: {
        summary: 'List users',
        tags: [TAG],
        description: 'Admins only. `search` matches e-mail or name, case-insensitively.',
      },
    })
    .patch(
      '/:userId',
      async ({ actor, params, body }) => ok({ user: await zekka.users.update(actor, params.userId, body) }),
      {
        auth: true,
        params: UserParams,
        ...strictBody(AdminUserPatch),
        response: responses({ 200: Ok(UserEnvelope), ...errors(400, 401, 403, 404, 409, 415, 429) }),
        detail: {
          summary: "Change a user's role or disable them",
          tags: [TAG],
          description:
            'Admins only. Disabling revokes all of the user’s sessions and API keys stop working. Admins ' +
            'cannot demote or disable themselves (`409`).',
        },
      },
    );
}
