/**
 * Bearer tokens the API must refuse: tampered JWTs (signature, payload, `alg: none`, another key, wrong
 * audience or issuer), a refresh token or garbage used as an access token, and access tokens past their
 * 15 minutes (`TOKEN_EXPIRED`, via the test clock).
 */
import { afterAll, beforeAll, describe, test } from 'bun:test';
import type { TokenPair } from '@zekka/core';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { registerUser, type TestUser } from './support/fixtures.ts';
import { alterPayload, flipSignatureChar, resignWith, unsignedCopy } from './support/jwt-tampering.ts';
import { minutes, seconds } from './support/manual-clock.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.close());

describe('bearer tokens that are refused', () => {
  let victim: TestUser;
  beforeAll(async () => {
    victim = await registerUser(server.http);
  });

  const cases: [string, () => Promise<string> | string][] = [
    ['a flipped signature character', () => flipSignatureChar(victim.accessToken)],
    ['an altered payload (role: admin)', () => alterPayload(victim.accessToken, { role: 'admin' })],
    [
      'an altered payload (another sub)',
      () => alterPayload(victim.accessToken, { sub: crypto.randomUUID() }),
    ],
    ['an altered payload (later exp)', () => alterPayload(victim.accessToken, { exp: 4_102_444_800 })],
    ['alg: none', () => unsignedCopy(victim.accessToken)],
    ['a token signed with another secret', () => resignWith(victim.accessToken, 'x'.repeat(48))],
    ['a refresh token used as an access token', () => victim.refreshToken],
    ['garbage', () => 'definitely.not.ajwt'],
    ['an unknown API key', () => `zk_${'a'.repeat(40)}`],
  ];
  for (const [name, makeToken] of cases) {
    test.concurrent(`${name} → 401 TOKEN_INVALID`, async () => {
      const res = await server.http.get('/auth/me', { token: await makeToken() });
      expectError(res, 401, 'TOKEN_INVALID');
    });
  }

  test.concurrent('a token with the wrong audience or issuer → 401 TOKEN_INVALID', async () => {
    for (const claims of [{ aud: 'someone-else' }, { iss: 'evil' }]) {
      const forged = await resignWith(alterPayload(victim.accessToken, claims), 'not-the-secret');
      expectError(await server.http.get('/auth/me', { token: forged }), 401, 'TOKEN_INVALID');
    }
  });

  test.concurrent('a non-Bearer Authorization header → 401', async () => {
    const res = await server.http.get('/auth/me', { headers: { authorization: `Basic ${btoa('a:b')}` } });
    expectError(res, 401);
  });

  test('an access token past its 15 minutes → 401 TOKEN_EXPIRED', async () => {
    const own = await createTestServer();
    try {
      const user = await registerUser(own.http);
      own.clock.advance(minutes(14));
      expectOk(await own.http.get('/auth/me', { token: user.accessToken }));
      own.clock.advance(minutes(1) + seconds(1));
      expectError(await own.http.get('/auth/me', { token: user.accessToken }), 401, 'TOKEN_EXPIRED');
      // The refresh token still gets a new access token.
      const pair = expectOk(
        await own.http.post<TokenPair>('/auth/refresh', { body: { refreshToken: user.refreshToken } }),
      );
      expectOk(await own.http.get('/auth/me', { token: pair.accessToken }));
    } finally {
      await own.close();
    }
  });
});
