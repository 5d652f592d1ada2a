/**
 * `/ws` authentication (contract, "WebSocket — /ws"): by `?token=` or a first `auth` frame within the
 * deadline, an access token or an API key; anything else closes `4401`. A socket whose credential stops
 * being valid (account disabled, session revoked) is closed `4401` at the next credential check.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { CreatedApiKey } from '@zekka/core';
import { CLOSE } from '../../src/realtime/index.ts';
import { createAdmin, registerUser, type TestUser } from '../http/support/fixtures.ts';
import { type RealtimeTestServer, startRealtimeServer } from './support/realtime-server.ts';
import { WsClient } from './support/ws-client.ts';

let server: RealtimeTestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startRealtimeServer({ realtime: { authTimeoutMs: 200, credentialCheckMs: 100 } });
  alice = await registerUser(server.http);
});
afterAll(() => server.stop());

describe('authentication', () => {
  test('?token= with an access token: ready with a connection id and the user id', async () => {
    const client = await WsClient.ready(server.wsUrl, alice.accessToken);
    const ready = await client.waitFor((f) => f.type === 'ready');
    expect(ready).toEqual({ type: 'ready', connectionId: expect.any(String), userId: alice.user.id });
    client.close();
  });

  test('a first auth frame: ready', async () => {
    const client = await WsClient.open(server.wsUrl);
    client.send({ type: 'auth', token: alice.accessToken });
    expect(await client.waitFor((f) => f.type === 'ready')).toMatchObject({ userId: alice.user.id });
    client.close();
  });

  test('an API key authenticates too', async () => {
    const res = await server.http.post<CreatedApiKey>('/auth/api-keys', {
      token: alice.accessToken,
      body: { name: 'ws' },
    });
    const client = await WsClient.ready(server.wsUrl, res.data.key);
    expect(await client.waitFor((f) => f.type === 'ready')).toMatchObject({ userId: alice.user.id });
    client.close();
  });

  test('an invalid ?token= closes 4401', async () => {
    const client = await WsClient.open(server.wsUrl, 'not-a-token');
    expect((await client.closed).code).toBe(CLOSE.unauthorized);
    expect(client.frames).toEqual([]);
  });

  test('an invalid token in the auth frame closes 4401', async () => {
    const client = await WsClient.open(server.wsUrl);
    client.send({ type: 'auth', token: `${alice.accessToken}x` });
    expect((await client.closed).code).toBe(CLOSE.unauthorized);
  });

  test('no auth frame before the deadline closes 4401', async () => {
    const client = await WsClient.open(server.wsUrl);
    const started = performance.now();
    expect(await client.closed).toEqual({
      code: CLOSE.unauthorized,
      reason: expect.stringContaining('AUTH_REQUIRED'),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  test('a first frame that is not auth closes 4401', async () => {
    const client = await WsClient.open(server.wsUrl);
    client.send({ type: 'subscribe', topic: `user:${alice.user.id}`, id: '1' });
    expect((await client.closed).code).toBe(CLOSE.unauthorized);
    expect(client.frames).toEqual([]);
  });
});

describe('credentials re-checked on open sockets', () => {
  test('a disabled account is disconnected with 4401', async () => {
    const admin = await createAdmin(server);
    const bob = await registerUser(server.http);
    const client = await WsClient.ready(server.wsUrl, bob.accessToken);
    const res = await server.http.patch(`/users/${bob.user.id}`, {
      token: admin.accessToken,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect((await client.closed).code).toBe(CLOSE.unauthorized);
  });

  test('a revoked session (logout) is disconnected with 4401', async () => {
    const carol = await registerUser(server.http);
    const client = await WsClient.ready(server.wsUrl, carol.accessToken);
    const res = await server.http.post('/auth/logout', { token: carol.accessToken, body: {} });
    expect(res.status).toBe(204);
    expect((await client.closed).code).toBe(CLOSE.unauthorized);
  });
});
