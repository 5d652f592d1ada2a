/**
 * @module routes/resume-stream
 * `GET /api/v1/conversations/:conversationId/stream`: resumes the answer stream of the conversation's
 * running (or, for an hour, last) generation from `Last-Event-ID`, on any instance. The events are row 41's
 * (`POST …/messages/stream`), with the same ids: the buffered ones after `Last-Event-ID` (exclusive) first,
 * then the live ones until `done` or `error`. Readers of the conversation; `404` when nothing runs there and
 * nothing is buffered.
 */
import { Type } from '@sinclair/typebox';
import { ZekkaError } from '@zekka/core';
import { ConversationParams } from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { errors } from './envelope.ts';
import { bufferedEventStream } from './event-stream.ts';
import type { RouteDeps } from './route-deps.ts';

const DESCRIPTION = [
  'Server-sent events in the format of `POST …/messages/stream`, with the same ids: the events after',
  '`Last-Event-ID` (exclusive; `0` or none: from the start), then the live ones until `done` or `error`.',
].join(' ');

const EventStream = Type.String({ contentMediaType: 'text/event-stream', description: DESCRIPTION });

/** `Last-Event-ID` (header, or `?lastEventId=` for clients that cannot set headers) as a whole number. */
function lastEventId(request: Request): number {
  const raw =
    request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId') ?? '0';
  const value = /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (Number.isNaN(value)) {
    throw new ZekkaError('VALIDATION_FAILED', 'Last-Event-ID must be an event id', {
      details: [{ path: '/headers/last-event-id', message: 'Expected a whole number' }],
    });
  }
  return value;
}

export function resumeStreamRoutes({ zekka, auth, responses, logger }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/conversations' }).use(auth).get(
    '/:conversationId/stream',
    async ({ actor, params, request, server }) => {
      const after = lastEventId(request);
      const follow = new AbortController();
      const leave = () => follow.abort();
      request.signal.addEventListener('abort', leave, { once: true });
      const events = await zekka.messages.resume(actor, params.conversationId, after, follow.signal);
      server?.timeout(request, 0);
      return bufferedEventStream(events, { onCancel: leave, logger });
    },
    {
      auth: true,
      params: ConversationParams,
      response: responses({ 200: EventStream, ...errors(400, 401, 403, 404, 429) }),
      detail: {
        summary: 'Resume an answer stream',
        tags: ['messages'],
        description:
          'Readers of the conversation. Send the id of the last event received as `Last-Event-ID` (an ' +
          '`EventSource` does this by itself when it reconnects); any instance can answer. ' +
          DESCRIPTION +
          ' `404` when no answer is being generated and none was in the last hour.',
      },
    },
  );
}
