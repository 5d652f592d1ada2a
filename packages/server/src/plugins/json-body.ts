/**
 * @module plugins/json-body
 * Request bodies are JSON, and small. Without this, Elysia would also parse `text/plain` and form-encoded
 * bodies, which turns a wrong `Content-Type` into confusing validation errors (and lets a plain HTML form
 * post to the API); the contract answers it with `415 UNSUPPORTED_MEDIA_TYPE` instead, as it does a body
 * sent without any `Content-Type`. `application/<x>+json` bodies are JSON too (Elysia alone would drop
 * them). Multipart stays allowed for the upload routes.
 *
 * A JSON body may be up to `MAX_JSON_BODY_BYTES`: the largest the API takes (a message of 32,000
 * characters, each escaped to `\uXXXX` at worst) fits several times over. A larger one is
 * `413 PAYLOAD_TOO_LARGE`, told by its `Content-Length` before any of it is read, or by counting a chunked
 * body as it arrives — never after buffering all of it.
 */
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';

/** The largest JSON request body taken, in bytes (1 MiB). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** True for `application/json` and `application/<x>+json`, with or without parameters. */
export function isJsonContentType(contentType: string): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

const mediaType = (contentType: string) => contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';

const tooLarge = () =>
  new ZekkaError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than the ${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB a JSON body may be`,
  );

/** Whether the request says it carries a body (a length above 0, or a chunked one). */
function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return (length !== null && length.trim() !== '0') || request.headers.has('transfer-encoding');
}

/** The body as text, refused with `413` as soon as it is seen to be over `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string> {
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) > limit) throw tooLarge();
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export const jsonBodyPlugin = new Elysia({ name: 'zekka/json-body' }).onParse(
  { as: 'global' },
  async function parseJsonBody({ request, contentType }) {
    if (contentType === '') {
      if (hasBody(request)) {
        throw new ZekkaError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Say what the body is: Content-Type: application/json',
        );
      }
      // Returning nothing hands the (absent) body to Elysia's own parsers.
      return;
    }
    if (contentType.startsWith('multipart/form-data')) return;
    if (!isJsonContentType(contentType)) {
      throw new ZekkaError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the request body as JSON (Content-Type: application/json)',
      );
    }
    const length = request.headers.get('content-length');
    // The common case: a plain JSON body of a known, allowed length, parsed by Elysia as before.
    if (length !== null && mediaType(contentType) === 'application/json') {
      if (Number(length) > MAX_JSON_BODY_BYTES) throw tooLarge();
      return;
    }
    // Chunked, or `+json`: read within the limit and parse here. Invalid JSON throws, which Elysia
    // reports as a parse error (`400 VALIDATION_FAILED`, see the error envelope).
    return JSON.parse(await readLimited(request, MAX_JSON_BODY_BYTES)) as unknown;
  },
);
