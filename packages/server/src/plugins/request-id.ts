/**
 * @module plugins/request-id
 * Gives every request an id and sends it back in `X-Request-Id` on every response, errors included. A
 * client's (or a proxy's) id is kept when it is sane, so one id follows a request across systems; anything
 * else is replaced, because the id ends up in logs and must not carry injected text.
 */
import { Elysia } from 'elysia';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The incoming id when it is 1–128 characters of `[A-Za-z0-9._-]`, else a new UUID. */
export function requestIdFor(incoming: string | null): string {
  return incoming !== null && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * Sets `X-Request-Id` first thing (`onRequest`), so even a request that fails routing or parsing has one;
 * the error envelope reads it back from the response headers.
 */
export const requestIdPlugin = new Elysia({ name: 'zekka/request-id' }).onRequest(function setRequestId({
  request,
  set,
}) {
  // `onRequest` hooks are always global: they run before routing, for every request.
  set.headers[REQUEST_ID_HEADER] = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
});
