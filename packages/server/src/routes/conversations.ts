/**
 * @module routes/conversations
 * Conversations: contract rows 34–38 under `/api/v1/conversations`. Members of the project read them;
 * editors create, change and delete them; a conversation in a project the caller is not a member of is
 * `404`. Messages (rows 39–45) are in `messages.ts` and `message-stream.ts`.
 */
import {
  Conversation,
  ConversationListQuery,
  ConversationParams,
  CreateConversationBody,
  Ok,
  OkPage,
  UpdateConversationBody,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, NoContent, ok, page } from './envelope.ts';
import { withIdempotency } from './idempotency.ts';
import { integerQuery } from './query.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'conversations';

export function conversationRoutes({ zekka, auth, idempotencyCache, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/conversations' })
    .use(auth)
    .get('', async ({ actor, query }) => page(await zekka.conversations.list(actor, query)), {
      auth: true,
      ...integerQuery(ConversationListQuery),
      response: responses({ 200: OkPage(Conversation), ...errors(400, 401, 429) }),
      detail: {
        summary: 'List conversations',
        tags: [TAG],
        description:
          'Conversations in the projects you are a member of (or in `projectId` only), most recently ' +
          'updated first. `search` matches the title, case-insensitively.',
      },
    })
    .post(
      '',
      ({ actor, body, request, set, status }) =>
        withIdempotency(idempotencyCache, { actor, body, request, set }, async () =>
          status(201, ok(await zekka.conversations.create(actor, body))),
        ),
      {
        auth: true,
        headers: IdempotencyHeaders,
        ...strictBody(CreateConversationBody),
        response: responses({ 201: Ok(Conversation), ...errors(400, 401, 403, 404, 409, 415, 429) }),
        detail: {
          summary: 'Start a conversation',
          tags: [TAG],
          description:
            'Editors and owners of `projectId`. `model` must be an id from `GET /models` (else `400`); ' +
            'without one, messages use the default model. An archived project refuses new conversations ' +
            '(`409`).',
        },
      },
    )
    .get(
      '/:conversationId',
      async ({ actor, params }) => ok(await zekka.conversations.get(actor, params.conversationId)),
      {
        auth: true,
        params: ConversationParams,
        response: responses({ 200: Ok(Conversation), ...errors(400, 401, 404, 429) }),
        detail: {
          summary: 'Get a conversation',
          tags: [TAG],
          description: 'With `messageCount`, `lastMessageAt` and your `role` in its project.',
        },
      },
    )
    .patch(
      '/:conversationId',
      async ({ actor, params, body }) =>
        ok(await zekka.conversations.update(actor, params.conversationId, body)),
      {
        auth: true,
        params: ConversationParams,
        ...strictBody(UpdateConversationBody),
        response: responses({ 200: Ok(Conversation), ...errors(400, 401, 403, 404, 415, 429) }),
        detail: {
          summary: 'Update a conversation',
          tags: [TAG],
          description:
            'Editors and owners. Fields left out keep their value; `null` clears `title`, `model`, ' +
            '`agentId` or `systemPrompt`. An archived conversation refuses new messages (`409`).',
        },
      },
    )
    .delete(
      '/:conversationId',
      async ({ actor, params, status }) => {
        await zekka.conversations.delete(actor, params.conversationId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: ConversationParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 403, 404, 429) }),
        detail: {
          summary: 'Delete a conversation',
          tags: [TAG],
          description:
            'Editors and owners. A generation running in it is stopped first; its messages go with it.',
        },
      },
    );
}
