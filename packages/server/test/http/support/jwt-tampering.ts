/**
 * @module jwt-tampering
 * Reads and forges JWTs the way an attacker would, to check the server refuses them.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(text: string): string {
  return Buffer.from(encoder.encode(text)).toString('base64url');
}

function fromBase64Url(part: string): string {
  return decoder.decode(Buffer.from(part, 'base64url'));
}

function splitJwt(token: string): [string, string, string] {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) {
    throw new Error(`not a JWT: ${token.slice(0, 20)}…`);
  }
  return [header, payload, signature];
}

export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = splitJwt(token);
  return { header: JSON.parse(fromBase64Url(header)), payload: JSON.parse(fromBase64Url(payload)) };
}

/** The token with one character of its signature changed. */
export function flipSignatureChar(token: string): string {
  const [header, payload, signature] = splitJwt(token);
  const middle = Math.floor(signature.length / 2);
  const replacement = signature[middle] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, middle)}${replacement}${signature.slice(middle + 1)}`;
}

/** The token with its payload rewritten and the original signature kept. */
export function alterPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = splitJwt(token);
  const altered = { ...JSON.parse(fromBase64Url(payload)), ...changes };
  return `${header}.${toBase64Url(JSON.stringify(altered))}.${signature}`;
}

/** The token re-issued unsigned with `alg: none`. */
export function unsignedCopy(token: string): string {
  const [, payload] = splitJwt(token);
  return `${toBase64Url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
}

/** A token with the same claims signed with another secret (HS256). */
export async function resignWith(token: string, secret: string): Promise<string> {
  const [header, payload] = splitJwt(token);
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(`${header}.${payload}`));
  return `${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
}
