/**
 * @module jwt
 * HS256 access tokens. Deliberately minimal: one algorithm, fixed header, every claim checked. The header
 * is compared byte for byte with the only one we issue, so `alg: none` and algorithm confusion cannot occur.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UserRole } from '../actor.ts';
import { ZekkaError } from '../errors.ts';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface AccessClaims {
  sub: string;
  sid: string;
  role: UserRole;
  iss: string;
  aud: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

export interface JwtOptions {
  secret: string;
  issuer: string;
  audience: string;
}

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const body = `${HEADER}.${payload}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const invalid = () => new ZekkaError('TOKEN_INVALID', 'The access token is not valid');

/**
 * Verifies signature, issuer, audience and expiry at `nowMs`. Throws `TOKEN_INVALID` for anything
 * malformed or forged and `TOKEN_EXPIRED` once `exp` has passed.
 */
export function verifyAccessToken(token: string, options: JwtOptions, nowMs: number): AccessClaims {
  const claims = verifySignedClaims(token, options);
  if (claims.exp * 1000 <= nowMs) throw new ZekkaError('TOKEN_EXPIRED', 'The access token has expired');
  return claims;
}

/**
 * `verifyAccessToken` with a memory of tokens whose signature and claims already checked out. A client
 * sends the same token for up to 15 minutes, and the HMAC, the decoding and the JSON parsing are most of
 * what authenticating a request costs; a signed token cannot change, so only its expiry is checked again.
 * Only valid tokens are remembered (forged ones cannot fill it), and the memory starts over past
 * `maxEntries`.
 */
export class AccessTokenVerifier {
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    private readonly options: JwtOptions,
    private readonly maxEntries = 10_000,
  ) {}

  verify(token: string, nowMs: number): AccessClaims {
    let claims = this.verified.get(token);
    if (claims === undefined) {
      claims = verifySignedClaims(token, this.options);
      if (this.verified.size >= this.maxEntries) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.exp * 1000 <= nowMs) {
      this.verified.delete(token);
      throw new ZekkaError('TOKEN_EXPIRED', 'The access token has expired');
    }
    return claims;
  }
}

/** Signature, header, issuer and audience; everything but the expiry. */
function verifySignedClaims(token: string, options: JwtOptions): AccessClaims {
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  if (firstDot <= 0 || lastDot === firstDot || token.slice(0, firstDot) !== HEADER) throw invalid();
  const body = token.slice(0, lastDot);
  const given = Buffer.from(token.slice(lastDot + 1), 'base64url');
  const expected = createHmac('sha256', options.secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();

  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isAccessClaims(claims) || claims.iss !== options.issuer || claims.aud !== options.audience)
    throw invalid();
  return claims;
}

function isAccessClaims(value: unknown): value is AccessClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    typeof c.sid === 'string' &&
    (c.role === 'user' || c.role === 'admin') &&
    typeof c.iss === 'string' &&
    typeof c.aud === 'string' &&
    typeof c.iat === 'number' &&
    typeof c.exp === 'number'
  );
}
