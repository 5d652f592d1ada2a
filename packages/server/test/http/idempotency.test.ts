/**
 * The `Idempotency-Key` convention on POSTs that create: a retry within 24 h replays the first response
 * (`Idempotency-Replayed: true`) and creates nothing; the same key with another body → 409.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Member, Project } from '@zekka/core';
import { expectError, expectOk } from './support/expect-envelope.ts';
import { registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await createTestServer();
  [alice, bob] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
});
afterAll(() => server.close());

const key = () => `idem-${crypto.randomUUID()}`;

async function projectCount(token: string): Promise<number> {
  const res = await server.http.get<Project[]>('/projects', { token });
  return res.pagination?.total ?? -1;
}

describe('Idempotency-Key on POST /projects', () => {
  test('a retry replays the first response and creates nothing new', async () => {
    const headers = { 'idempotency-key': key() };
    const before = await projectCount(alice.accessToken);
    const first = await server.http.post<Project>('/projects', {
      token: alice.accessToken,
      body: { name: 'Once' },
      headers,
    });
    const created = expectOk(first, 201);
    expect(first.headers.get('idempotency-replayed')).not.toBe('true');

    const retry = await server.http.post<Project>('/projects', {
      token: alice.accessToken,
      body: { name: 'Once' },
      headers,
    });
    expect(expectOk(retry, 201)).toEqual(created);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(await projectCount(alice.accessToken)).toBe(before + 1);
  });

  test('the same key with a different body → 409 CONFLICT', async () => {
    const headers = { 'idempotency-key': key() };
    expectOk(
      await server.http.post('/projects', { token: alice.accessToken, body: { name: 'A' }, headers }),
      201,
    );
    const other = await server.http.post('/projects', {
      token: alice.accessToken,
      body: { name: 'B' },
      headers,
    });
    expectError(other, 409, 'CONFLICT');
  });

  test('keys are per user: the same key from another user creates their own project', async () => {
    const headers = { 'idempotency-key': key() };
    const mine = expectOk(
      await server.http.post<Project>('/projects', {
        token: alice.accessToken,
        body: { name: 'Shared key' },
        headers,
      }),
      201,
    );
    const res = await server.http.post<Project>('/projects', {
      token: bob.accessToken,
      body: { name: 'Shared key' },
      headers,
    });
    const theirs = expectOk(res, 201);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.ownerId).toBe(bob.user.id);
    expect(res.headers.get('idempotency-replayed')).not.toBe('true');
  });

  test('without a key, two identical POSTs create two projects', async () => {
    const a = expectOk(
      await server.http.post<Project>('/projects', { token: alice.accessToken, body: { name: 'Twice' } }),
      201,
    );
    const b = expectOk(
      await server.http.post<Project>('/projects', { token: alice.accessToken, body: { name: 'Twice' } }),
      201,
    );
    expect(a.id).not.toBe(b.id);
  });

  test('a key longer than 128 characters → 400 VALIDATION_FAILED', async () => {
    const res = await server.http.post('/projects', {
      token: alice.accessToken,
      body: { name: 'Long key' },
      headers: { 'idempotency-key': 'k'.repeat(129) },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    const ok = await server.http.post('/projects', {
      token: alice.accessToken,
      body: { name: 'Max key' },
      headers: { 'idempotency-key': 'k'.repeat(128) },
    });
    expectOk(ok, 201);
  });
});

describe('Idempotency-Key on POST /projects/:projectId/members', () => {
  test('a retried add replays the 201 instead of answering 409', async () => {
    const project = expectOk(
      await server.http.post<Project>('/projects', { token: alice.accessToken, body: { name: 'Team' } }),
      201,
    );
    const headers = { 'idempotency-key': key() };
    const body = { email: bob.email, role: 'viewer' };
    const first = await server.http.post<Member>(`/projects/${project.id}/members`, {
      token: alice.accessToken,
      body,
      headers,
    });
    const member = expectOk(first, 201);
    const retry = await server.http.post<Member>(`/projects/${project.id}/members`, {
      token: alice.accessToken,
      body,
      headers,
    });
    expect(expectOk(retry, 201)).toEqual(member);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    const withoutKey = await server.http.post(`/projects/${project.id}/members`, {
      token: alice.accessToken,
      body,
    });
    expectError(withoutKey, 409, 'CONFLICT');
  });
});
