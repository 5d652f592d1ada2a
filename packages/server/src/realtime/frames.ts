/**
 * @module realtime/frames
 * The `/ws` frames (contract, "WebSocket — /ws"): their types, the schemas that type the Eden client, and
 * the parser that turns a received message into a client frame or the `error` frame it deserves. Frames
 * are checked here by hand rather than by Elysia, so a bad frame is answered in the envelope's shape and
 * the socket stays open.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { ErrorCode, EventMap, EventName } from '@zekka/core';

export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; topic: string; id?: string }
  | { type: 'unsubscribe'; topic: string; id?: string }
  | { type: 'ping'; id?: string }
  | { type: 'typing'; conversationId: string };

/** One `event` frame per event name, so narrowing on `event` types `data`. */
export type EventFrame = {
  [K in EventName]: { type: 'event'; topic: string; event: K; data: EventMap[K]; ts: number };
}[EventName];

export interface ErrorFrame {
  type: 'error';
  id?: string;
  error: { code: ErrorCode; message: string };
}

export type ServerFrame =
  | { type: 'ready'; connectionId: string; userId: string }
  | { type: 'ack'; id: string }
  | ErrorFrame
  | { type: 'pong'; id?: string }
  | EventFrame;

const Id = Type.Optional(Type.String({ maxLength: 128 }));

/** The client frames, as a schema for the OpenAPI-free WebSocket route and the Eden client's types. */
export const ClientFrameSchema = Type.Union([
  Type.Object({ type: Type.Literal('auth'), token: Type.String() }),
  Type.Object({ type: Type.Literal('subscribe'), topic: Type.String(), id: Id }),
  Type.Object({ type: Type.Literal('unsubscribe'), topic: Type.String(), id: Id }),
  Type.Object({ type: Type.Literal('ping'), id: Id }),
  Type.Object({ type: Type.Literal('typing'), conversationId: Type.String() }),
]);

/**
 * A schema that accepts anything at run time but carries `T` for the types: frames are validated by
 * `parseClientFrame` (to answer in the contract's shape), and server frames are built by typed code, so
 * checking each of thousands of `event` frames again would only cost time.
 */
function typedOnly<T>(): TSchema & { static: T } {
  return Type.Unsafe<T>(Type.Any());
}

export const clientFrameSchema = typedOnly<Static<typeof ClientFrameSchema>>();
export const serverFrameSchema = typedOnly<ServerFrame>();

const MAX_ID = 128;
const MAX_TOPIC = 256;

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; error: ErrorFrame };

const invalid = (message: string, id?: string): ParsedFrame => ({
  ok: false,
  error: errorFrame('VALIDATION_FAILED', message, id),
});

export function errorFrame(code: ErrorCode, message: string, id?: string): ErrorFrame {
  return id === undefined
    ? { type: 'error', error: { code, message } }
    : { type: 'error', id, error: { code, message } };
}

const isString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/**
 * Checks a message as Elysia hands it over (JSON already parsed when it was JSON; a string otherwise).
 * @param size - the frame's size in bytes, for the `maxFrameBytes` check
 */
export function parseClientFrame(message: unknown, size: number, maxFrameBytes: number): ParsedFrame {
  if (size > maxFrameBytes) {
    return {
      ok: false,
      error: errorFrame('PAYLOAD_TOO_LARGE', `Frames are at most ${maxFrameBytes} bytes`),
    };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message) || Buffer.isBuffer(message)) {
    return invalid('A frame is a JSON object with a "type"');
  }
  const frame = message as Record<string, unknown>;
  const rawId = frame.id;
  if (rawId !== undefined && !isString(rawId, MAX_ID))
    return invalid(`"id" is a string of 1 to ${MAX_ID} characters`);
  const id = rawId;
  switch (frame.type) {
    case 'auth':
      if (!isString(frame.token, 4096)) return invalid('"auth" needs a "token"');
      return { ok: true, frame: { type: 'auth', token: frame.token } };
    case 'subscribe':
    case 'unsubscribe': {
      if (!isString(frame.topic, MAX_TOPIC)) return invalid(`"${frame.type}" needs a "topic"`, id);
      const { type, topic } = frame;
      return { ok: true, frame: id === undefined ? { type, topic } : { type, topic, id } };
    }
    case 'ping':
      return { ok: true, frame: id === undefined ? { type: 'ping' } : { type: 'ping', id } };
    case 'typing':
      if (!isString(frame.conversationId, MAX_ID)) return invalid('"typing" needs a "conversationId"');
      return { ok: true, frame: { type: 'typing', conversationId: frame.conversationId } };
    default:
      return invalid('Unknown frame "type"; expected auth, subscribe, unsubscribe, ping or typing', id);
  }
}

/** A frame's size as received: a string's bytes, or the JSON Elysia already parsed, re-serialized. */
export function frameSize(message: unknown): number {
  if (typeof message === 'string') return Buffer.byteLength(message);
  if (Buffer.isBuffer(message)) return message.byteLength;
  return Buffer.byteLength(JSON.stringify(message) ?? '');
}
