/**
 * @module ids
 * The default `Ids`: UUIDv7 (RFC 9562) from the web-standard `crypto`, and random base64url tokens.
 */
import type { Ids } from '../ports/services.ts';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A UUIDv7 for the time `ms`: 48 bits of milliseconds, then version, variant and 74 random bits. */
export function uuidv7(ms: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i] as number];
  }
  return out;
}

export function randomToken(bytes = 32): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
}

export const defaultIds: Ids = { uuid: () => uuidv7(), token: randomToken };
