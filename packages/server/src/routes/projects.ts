/**
 * @module routes/projects
 * Projects: contract rows 20–27 under `/api/v1/projects`. Who may do what is decided in core; a project
 * the caller is not a member of is `404`, never `403`. Members (rows 28–31) are in `project-members.ts`.
 */
import {
  CreateProjectBody,
  Ok,
  OkPage,
  Project,
  ProjectListQuery,
  ProjectParams,
  ProjectStats,
  StatsQuery,
  UpdateProjectBody,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, NoContent, ok, page } from './envelope.ts';
import { withIdempotency } from './idempotency.ts';
import { integerQuery } from './query.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'projects';

export function projectRoutes({ zekka, auth, idempotencyCache, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/projects' })
    .use(auth)
    .get('', async ({ actor, query }) => page(await zekka.projects.list(actor, query)), {
      auth: true,
      ...integerQuery(ProjectListQuery),
      response: responses({ 200: OkPage(Project), ...errors(400, 401, 429) }),
      detail: {
        summary: 'List your projects',
        tags: [TAG],
        description: 'Projects you are a member of, most recently updated first, each with your `role`.',
      },
    })
    .post(
      '',
      ({ actor, body, request, set, status }) =>
        withIdempotency(idempotencyCache, { actor, body, request, set }, async () =>
          status(201, ok(await zekka.projects.create(actor, body))),
        ),
      {
        auth: true,
        headers: IdempotencyHeaders,
        ...strictBody(CreateProjectBody),
        response: responses({ 201: Ok(Project), ...errors(400, 401, 415, 429) }),
        detail: {
          summary: 'Create a project',
          tags: [TAG],
          description: 'You become its owner. `settings` is a JSON object of at most 16 KiB.',
        },
      },
    )
    .get('/:projectId', async ({ actor, params }) => ok(await zekka.projects.get(actor, params.projectId)), {
      auth: true,
      params: ProjectParams,
      response: responses({ 200: Ok(Project), ...errors(400, 401, 404, 429) }),
      detail: { summary: 'Get a project', tags: [TAG], description: 'With your `role` in it.' },
    })
    .patch(
      '/:projectId',
      async ({ actor, params, body }) => ok(await zekka.projects.update(actor, params.projectId, body)),
      {
        auth: true,
        params: ProjectParams,
        ...strictBody(UpdateProjectBody),
        response: responses({ 200: Ok(Project), ...errors(400, 401, 403, 404, 415, 429) }),
        detail: {
          summary: 'Update a project',
          tags: [TAG],
          description:
            'Owners and editors. Fields left out keep their value; `settings` replaces the object.',
        },
      },
    )
    .delete(
      '/:projectId',
      async ({ actor, params, status }) => {
        await zekka.projects.delete(actor, params.projectId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: ProjectParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 403, 404, 429) }),
        detail: {
          summary: 'Delete a project',
          tags: [TAG],
          description: 'Owners only. A soft delete that also removes its conversations, agents and sources.',
        },
      },
    )
    .post(
      '/:projectId/archive',
      async ({ actor, params }) => ok(await zekka.projects.archive(actor, params.projectId)),
      {
        auth: true,
        params: ProjectParams,
        response: responses({ 200: Ok(Project), ...errors(400, 401, 403, 404, 429) }),
        detail: {
          summary: 'Archive a project',
          tags: [TAG],
          description: 'Owners only; `status` becomes `archived`.',
        },
      },
    )
    .post(
      '/:projectId/unarchive',
      async ({ actor, params }) => ok(await zekka.projects.unarchive(actor, params.projectId)),
      {
        auth: true,
        params: ProjectParams,
        response: responses({ 200: Ok(Project), ...errors(400, 401, 403, 404, 429) }),
        detail: {
          summary: 'Unarchive a project',
          tags: [TAG],
          description: 'Owners only; `status` becomes `active`.',
        },
      },
    )
    .get(
      '/:projectId/stats',
      async ({ actor, params, query }) =>
        ok(await zekka.projects.stats(actor, params.projectId, query.period)),
      {
        auth: true,
        params: ProjectParams,
        query: StatsQuery,
        response: responses({ 200: Ok(ProjectStats), ...errors(400, 401, 404, 429) }),
        detail: {
          summary: 'Project statistics',
          tags: [TAG],
          description:
            'Counts, tokens and cost (USD) over `period` (default `all`). Any member may read them.',
        },
      },
    );
}
