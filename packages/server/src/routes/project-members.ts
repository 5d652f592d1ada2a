/**
 * @module routes/project-members
 * Project members: contract rows 28–31 under `/api/v1/projects/:projectId/members`. Owners manage
 * members; any member may leave; the last owner cannot be removed or demoted (`409`).
 */

import { Type } from '@sinclair/typebox';
import {
  AddMemberBody,
  ChangeMemberRoleBody,
  Member,
  MemberParams,
  Ok,
  ProjectParams,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, NoContent, ok } from './envelope.ts';
import { withIdempotency } from './idempotency.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'members';

export function projectMemberRoutes({ zekka, auth, idempotencyCache, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/projects/:projectId/members' })
    .use(auth)
    .get('', async ({ actor, params }) => ok(await zekka.projects.listMembers(actor, params.projectId)), {
      auth: true,
      params: ProjectParams,
      response: responses({ 200: Ok(Type.Array(Member)), ...errors(400, 401, 404, 429) }),
      detail: { summary: 'List members', tags: [TAG], description: 'Any member may read the list.' },
    })
    .post(
      '',
      ({ actor, params, body, request, set, status }) =>
        withIdempotency(idempotencyCache, { actor, body, request, set }, async () =>
          status(201, ok(await zekka.projects.addMember(actor, params.projectId, body))),
        ),
      {
        auth: true,
        headers: IdempotencyHeaders,
        params: ProjectParams,
        ...strictBody(AddMemberBody),
        response: responses({ 201: Ok(Member), ...errors(400, 401, 403, 404, 409, 415, 429) }),
        detail: {
          summary: 'Add a member',
          tags: [TAG],
          description:
            'Owners only. The e-mail must belong to an account (`404` otherwise); `409` if already a member.',
        },
      },
    )
    .patch(
      '/:userId',
      async ({ actor, params, body }) =>
        ok(await zekka.projects.changeMemberRole(actor, params.projectId, params.userId, body.role)),
      {
        auth: true,
        params: MemberParams,
        ...strictBody(ChangeMemberRoleBody),
        response: responses({ 200: Ok(Member), ...errors(400, 401, 403, 404, 409, 415, 429) }),
        detail: {
          summary: "Change a member's role",
          tags: [TAG],
          description: 'Owners only. Demoting the last owner is refused with `409`.',
        },
      },
    )
    .delete(
      '/:userId',
      async ({ actor, params, status }) => {
        await zekka.projects.removeMember(actor, params.projectId, params.userId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: MemberParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 403, 404, 409, 429) }),
        detail: {
          summary: 'Remove a member, or leave',
          tags: [TAG],
          description:
            'Owners may remove anyone; any member may remove themselves. The last owner cannot leave (`409`).',
        },
      },
    );
}
