/**
 * @module routes/message-stream
 * Contract row 41, `POST /api/v1/conversations/:conversationId/messages/stream`: sends a message and
 * streams the answer as server-sent events. Everything that can go wrong before the generation starts
 * (validation, `404`, `403`, `402 BUDGET_EXCEEDED`, `409` while another answer runs) answers the usual
 * JSON error envelope; after that the answer is `200 text/event-stream`:
 *
 *   userMessage → assistantMessageStart → assistantMessageDelta × n → assistantMessageComplete → done
 *
 * or, when the model fails after the start, one `error` event (the message is stored `failed`). The
 * generation is a job in core that does not depend on this response: the deltas are read off the event
 * bus, and a client that goes away ends only the response.
 */
import { Type } from '@sinclair/typebox';
import type { Actor, Message, StartedAnswer, Zekka } from '@zekka/core';
import { ConversationParams, SendMessageBody } from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors } from './envelope.ts';
import { bufferedEventStream, type EventWriter, eventStreamResponse } from './event-stream.ts';
import { withIdempotency } from './idempotency.ts';
import { IdempotencyHeaders, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

type StartedGeneration = Awaited<ReturnType<Zekka['messages']['stream']>>;

/**
 * How long after the answer is stored the stream still waits for its last event from the bus. The bus
 * is best-effort (a remote bus may deliver late, or drop an event while it is down); past this the stream
 * ends from the stored answer instead of hanging.
 */
const LAST_EVENT_GRACE_MS = 2_000;

const EVENTS_DESCRIPTION = [
  'Server-sent events, each `id: <n>` (from 1) + `data: <json>` + a blank line; the JSON is',
  '`{ "type", "data" }`, in this order: `userMessage` (the stored user message) →',
  '`assistantMessageStart` (`{ id, conversationId }`) → `assistantMessageDelta`',
  '(`{ id, conversationId, chunk }`) × n → `assistantMessageComplete` (the stored assistant message with',
  '`usage`; its `status` is `stopped` after `POST …/stop`) → `done` (`data: null`). A failure after the',
  'start sends one `{ "type": "error", "error": { code, message } }` instead and closes; the message is',
  'stored with `status: "failed"`.',
].join(' ');

/** The 200 answer, for OpenAPI (the openapi plugin files it under `text/event-stream`). */
const EventStream = Type.String({ contentMediaType: 'text/event-stream', description: EVENTS_DESCRIPTION });

export function messageStreamRoutes({ zekka, auth, responses, logger, idempotencyCache }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/conversations' }).use(auth).post(
    '/:conversationId/messages/stream',
    async ({ actor, params, body, request, server, set }) => {
      // Ends our reading of the events when the client leaves; never the generation itself.
      const follow = new AbortController();
      const leave = () => follow.abort();
      request.signal.addEventListener('abort', leave, { once: true });
      // A model may think for longer than the server's idle timeout before its first token; the
      // generation has its own timeouts, so the stream always ends.
      const untimed = () => server?.timeout(request, 0);
      let answer: StartedAnswer | undefined;
      return withIdempotency(
        idempotencyCache,
        { actor, body, request, set },
        async () => {
          const started = await zekka.messages.stream(actor, params.conversationId, body, follow.signal);
          answer = { userMessage: started.userMessage, assistantMessageId: started.assistantMessage.id };
          untimed();
          return eventStreamResponse((writer) => relay(zekka, actor, started, follow, writer), {
            onCancel: leave,
            logger,
          });
        },
        {
          // A retry streams the same answer again, from its first event (see `answerStream`).
          keep: () => ({ status: 200, body: answer }),
          replay: async (kept) => {
            const started = kept.body as StartedAnswer;
            const events = await zekka.messages.answerStream(
              actor,
              params.conversationId,
              started,
              follow.signal,
            );
            untimed();
            return bufferedEventStream(events, { onCancel: leave, logger });
          },
        },
      );
    },
    {
      auth: true,
      headers: IdempotencyHeaders,
      params: ConversationParams,
      ...strictBody(SendMessageBody),
      response: responses({ 200: EventStream, ...errors(400, 401, 402, 403, 404, 409, 415, 429) }),
      detail: {
        summary: 'Send a message and stream the answer',
        tags: ['messages'],
        description:
          'Editors and owners; the same body as `POST …/messages`. Errors before the answer starts are ' +
          'JSON envelopes with their status (`402` when the budget is spent and there is no fallback ' +
          'model, `409` while another answer is being generated). Then `200 text/event-stream`. A client ' +
          'that disconnects does not stop the answer: it is generated and stored, and can be read from ' +
          '`GET …/messages`. After a dropped connection, resume the events on any instance with ' +
          '`GET /api/v1/conversations/:conversationId/stream` and `Last-Event-ID`. A retry with the same ' +
          '`Idempotency-Key` sends nothing again: it streams the first answer from its first event ' +
          '(`Idempotency-Replayed: true`), live while it is still being written; after an hour, or once ' +
          'the conversation has a newer answer, rebuilt from the stored messages (its text as one delta).',
      },
    },
  );
}

/** Writes a started generation's events in the contract's order. */
async function relay(
  zekka: Zekka,
  actor: Actor,
  started: StartedGeneration,
  follow: AbortController,
  writer: EventWriter,
): Promise<void> {
  const { userMessage, assistantMessage } = started;
  const ref = { id: assistantMessage.id, conversationId: assistantMessage.conversationId };
  writer.send({ type: 'userMessage', data: userMessage });
  writer.send({ type: 'assistantMessageStart', data: ref });

  let relayed = false;
  let grace: ReturnType<typeof setTimeout> | undefined;
  void started.done.then(() => {
    if (relayed) return;
    grace = setTimeout(() => follow.abort(), LAST_EVENT_GRACE_MS);
    grace.unref?.();
  });
  try {
    for await (const event of started.events) {
      if (event.event === 'message:delta') {
        writer.send({ type: 'assistantMessageDelta', data: { ...ref, chunk: event.data.chunk } });
      } else if (event.event === 'message:completed') {
        return complete(writer, event.data);
      } else {
        return writer.send({ type: 'error', error: event.data.error });
      }
    }
  } finally {
    relayed = true;
    clearTimeout(grace);
  }
  if (writer.closed) return;

  // The bus lost the last event: end from what was stored.
  const { error } = await started.done;
  if (error) return writer.send({ type: 'error', error });
  const next = await zekka.messages.list(actor, ref.conversationId, { after: userMessage.id, limit: 1 });
  const stored = next.items[0];
  if (stored?.id !== ref.id) {
    return writer.send({ type: 'error', error: { code: 'NOT_FOUND', message: 'The answer was deleted' } });
  }
  complete(writer, stored);
}

function complete(writer: EventWriter, message: Message): void {
  writer.send({ type: 'assistantMessageComplete', data: message });
  writer.send({ type: 'done', data: null });
}
