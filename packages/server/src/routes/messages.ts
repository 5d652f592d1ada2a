/**
 * @module routes/messages
 * Messages: contract rows 39, 40 and 42 under `/api/v1/conversations/:conversationId`, rows 44–45 under
 * `/api/v1/messages`. Streaming (row 41) is in `message-stream.ts`. Who may do what is decided in core:
 * members read and search, editors send and stop, the author or a project owner deletes.
 */
import type { Actor, Message, Paged, Zekka } from '@zekka/core';
import {
  ConversationParams,
  MessageListQuery,
  MessageParams,
  Message as MessageSchema,
  MessageSearchHit,
  MessageSearchQuery,
  Ok,
  OkPage,
  SendMessageBody,
  SendMessageResult,
  StopResult,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors, NoContent, ok, page } from './envelope.ts';
import { withIdempotency } from './idempotency.ts';
import { integerQuery } from './query.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'messages';

type MessageQuery = { limit?: number; offset?: number; before?: string; after?: string };

/**
 * A page of messages in the envelope. With a cursor, `offset` means nothing and `hasMore` says whether
 * there is more *in the cursor's direction* — one more one-row read when the page is full, since a full
 * page alone cannot tell.
 */
async function messagePage(zekka: Zekka, actor: Actor, conversationId: string, query: MessageQuery) {
  const paged = await zekka.messages.list(actor, conversationId, query);
  const body = page(paged);
  if (query.before === undefined && query.after === undefined) return body;
  const edge = query.before !== undefined ? paged.items[0] : paged.items.at(-1);
  let hasMore = false;
  if (edge !== undefined && paged.items.length === paged.limit) {
    const beyond: Paged<Message> = await zekka.messages.list(
      actor,
      conversationId,
      query.before !== undefined ? { before: edge.id, limit: 1 } : { after: edge.id, limit: 1 },
    );
    hasMore = beyond.items.length > 0;
  }
  return { ...body, pagination: { ...body.pagination, hasMore } };
}

export function messageRoutes({ zekka, auth, idempotencyCache, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1' })
    .use(auth)
    .get(
      '/conversations/:conversationId/messages',
      ({ actor, params, query, request }) => {
        // The schema's `offset` default is filled in during validation; only a sent one competes with a
        // cursor (`offset`, `before` and `after` are mutually exclusive).
        const { offset, ...rest } = query;
        const sent = new URL(request.url).searchParams.has('offset');
        return messagePage(zekka, actor, params.conversationId, sent ? { ...rest, offset } : rest);
      },
      {
        auth: true,
        params: ConversationParams,
        ...integerQuery(MessageListQuery),
        response: responses({ 200: OkPage(MessageSchema), ...errors(400, 401, 404, 429) }),
        detail: {
          summary: 'List messages',
          tags: [TAG],
          description:
            'Oldest first; `limit` 1–200, default 50. Page with `offset`, or with a message id as cursor: ' +
            '`before` (the `limit` messages just before it) or `after` (just after it). The three are ' +
            'mutually exclusive (`400`), and a cursor that is not a message of this conversation is `400`. ' +
            '`pagination.total` is the conversation’s message count; with a cursor, `hasMore` tells whether ' +
            'more messages lie beyond the page in the cursor’s direction.',
        },
      },
    )
    .post(
      '/conversations/:conversationId/messages',
      ({ actor, params, body, request, set, status }) =>
        withIdempotency(idempotencyCache, { actor, body, request, set }, async () =>
          status(201, ok(await zekka.messages.send(actor, params.conversationId, body))),
        ),
      {
        auth: true,
        headers: IdempotencyHeaders,
        params: ConversationParams,
        ...strictBody(SendMessageBody),
        response: responses({
          201: Ok(SendMessageResult),
          ...errors(400, 401, 402, 403, 404, 409, 415, 429, 503),
        }),
        detail: {
          summary: 'Send a message and wait for the answer',
          tags: [TAG],
          description:
            'Editors and owners. Stores your message, runs the model (`model`, else the conversation’s, ' +
            'else the default) on the system prompt and as much recent context as fits its window, and ' +
            'answers both stored messages with the usage. `402` when the project’s budget is spent and it ' +
            'has no fallback model (with one, the answer’s `model` is the fallback). `409` while another ' +
            'answer is being generated in the conversation, or when it is archived. `503 MODEL_UNAVAILABLE` ' +
            'when the model fails or times out; the failed answer stays stored with `status: "failed"`. ' +
            'For token-by-token delivery use `POST …/messages/stream`.',
        },
      },
    )
    .post(
      '/conversations/:conversationId/stop',
      async ({ actor, params, status }) =>
        status(202, ok(await zekka.messages.stop(actor, params.conversationId))),
      {
        auth: true,
        params: ConversationParams,
        response: responses({ 202: Ok(StopResult), ...errors(400, 401, 403, 404, 429) }),
        detail: {
          summary: 'Stop the answer being generated',
          tags: [TAG],
          description:
            'Editors and owners. Aborts the running generation, if any (`stopped` says whether one was ' +
            'running). The text produced so far is kept with `status: "stopped"` and the tokens consumed ' +
            'are recorded; the stored message follows within moments (`assistantMessageComplete` on an ' +
            'open stream, a waiting send answers with it).',
        },
      },
    )
    .get('/messages/search', async ({ actor, query }) => page(await zekka.messages.search(actor, query)), {
      auth: true,
      ...integerQuery(MessageSearchQuery),
      response: responses({ 200: OkPage(MessageSearchHit), ...errors(400, 401, 429) }),
      detail: {
        summary: 'Search messages',
        tags: [TAG],
        description:
          'Full-text search over the messages of the projects you are a member of (or of `projectId` ' +
          'only), best matches first, each with a `snippet` around the match. `q` is words, not a query ' +
          'language.',
      },
    })
    .delete(
      '/messages/:messageId',
      async ({ actor, params, status }) => {
        await zekka.messages.delete(actor, params.messageId);
        return status(204, undefined);
      },
      {
        auth: true,
        params: MessageParams,
        response: responses({ 204: NoContent, ...errors(400, 401, 403, 404, 409, 429) }),
        detail: {
          summary: 'Delete a message',
          tags: [TAG],
          description:
            'Its author or an owner of the project (`403` for other members). An answer still being ' +
            'generated cannot be deleted (`409`); stop it first.',
        },
      },
    );
}
