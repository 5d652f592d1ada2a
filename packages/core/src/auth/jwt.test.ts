import { describe, expect, test } from 'bun:test';
import { ZekkaError } from '../errors.ts';
import { type AccessClaims, AccessTokenVerifier, signAccessToken, verifyAccessToken } from './jwt.ts';

const options = { secret: 'a-secret-of-at-least-thirty-two-bytes!!', issuer: 'zekka', audience: 'zekka-api' };
const now = 1_750_000_000_000;
const claims: AccessClaims = {
  sub: 'user-1',
  sid: 'session-1',
  role: 'user',
  iss: 'zekka',
  aud: 'zekka-api',
  iat: now / 1000,
  exp: now / 1000 + 900,
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ZekkaError ? error.code : 'OTHER';
  }
  return 'NONE';
};

describe('access tokens', () => {
  test('round-trip', () => {
    const token = signAccessToken(claims, options.secret);
    expect(verifyAccessToken(token, options, now)).toEqual(claims);
  });

  test('expired at exp', () => {
    const token = signAccessToken(claims, options.secret);
    expect(codeOf(() => verifyAccessToken(token, options, claims.exp * 1000))).toBe('TOKEN_EXPIRED');
  });

  test('a changed payload, signature, secret, issuer or audience is invalid', () => {
    const token = signAccessToken(claims, options.secret);
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(codeOf(() => verifyAccessToken(`${h}.${forged}.${s}`, options, now))).toBe('TOKEN_INVALID');
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    expect(codeOf(() => verifyAccessToken(`${h}.${p}.${flipped}`, options, now))).toBe('TOKEN_INVALID');
    expect(
      codeOf(() =>
        verifyAccessToken(token, { ...options, secret: 'another-secret-32-bytes-long-xxxx' }, now),
      ),
    ).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifyAccessToken(token, { ...options, issuer: 'other' }, now))).toBe(
      'TOKEN_INVALID',
    );
    expect(codeOf(() => verifyAccessToken(token, { ...options, audience: 'other' }, now))).toBe(
      'TOKEN_INVALID',
    );
  });

  test('alg none and malformed tokens are invalid', () => {
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    for (const token of [`${none}.${payload}.`, 'not-a-jwt', 'a.b', '..', `${payload}`]) {
      expect(codeOf(() => verifyAccessToken(token, options, now))).toBe('TOKEN_INVALID');
    }
  });
});

describe('the verifier with memory', () => {
  test('answers like verifyAccessToken, for fresh, remembered, forged and expired tokens', () => {
    const verifier = new AccessTokenVerifier(options);
    const token = signAccessToken(claims, options.secret);
    expect(verifier.verify(token, now)).toEqual(claims);
    expect(verifier.verify(token, now)).toEqual(claims);
    expect(codeOf(() => verifier.verify(`${token.slice(0, -1)}x`, now))).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifier.verify(token, claims.exp * 1000))).toBe('TOKEN_EXPIRED');
    // Expiry is checked on every call, not only on the first.
    expect(codeOf(() => verifier.verify(token, claims.exp * 1000 + 1))).toBe('TOKEN_EXPIRED');
  });

  test('stays bounded', () => {
    const verifier = new AccessTokenVerifier(options, 3);
    for (let i = 0; i < 10; i++) {
      expect(verifier.verify(signAccessToken({ ...claims, sub: `u${i}` }, options.secret), now).sub).toBe(
        `u${i}`,
      );
    }
  });
});
