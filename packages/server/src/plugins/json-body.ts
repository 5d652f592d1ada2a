/**
 * @module plugins/json-body
 * Request bodies are JSON. Without this, Elysia would also parse `text/plain` and form-encoded bodies,
 * which turns a wrong `Content-Type` into confusing validation errors (and lets a plain HTML form post to
 * the API); the contract answers it with `415 UNSUPPORTED_MEDIA_TYPE` instead. Multipart stays allowed for
 * the upload routes.
 */
import { ZekkaError } from '@zekka/core';
import { Elysia } from 'elysia';

/** True for `application/json` and `application/<x>+json`, with or without parameters. */
export function isJsonContentType(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export const jsonBodyPlugin = new Elysia({ name: 'zekka/json-body' }).onParse(
  { as: 'global' },
  function requireJsonBody({ contentType }) {
    // Returning nothing hands the body to Elysia's own parsers.
    if (
      contentType === '' ||
      isJsonContentType(contentType) ||
      contentType.startsWith('multipart/form-data')
    ) {
      return;
    }
    throw new ZekkaError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the request body as JSON (Content-Type: application/json)',
    );
  },
);
