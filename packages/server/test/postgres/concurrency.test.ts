/**
 * Races through the services on Postgres, where requests really run in parallel on separate connections
 * (SQLite serialises every write, so it cannot show these bugs): the uniqueness of an e-mail address, the
 * single use of a refresh token, and a project that always keeps an owner.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { postgresTestTarget } from '@zekka/adapters/conformance';
import { type Member, systemActor } from '@zekka/core';
import { expectError } from '../http/support/expect-envelope.ts';
import {
  addMember,
  createProject,
  PASSWORD,
  registerUser,
  type TestUser,
  uniqueEmail,
} from '../http/support/fixtures.ts';
import type { ApiResponse } from '../http/support/http-client.ts';
import { createTestServer, type TestServer } from '../http/support/test-server.ts';
import { postgresTestStore } from '../http/support/test-store.ts';

const target = postgresTestTarget();
const PARALLEL = 20;

/** Answers a race may legitimately end in; anything else (a 5xx above all) is a bug. */
const RACE_OUTCOMES = [200, 201, 204, 403, 404, 409];

describe.skipIf(target === null)('concurrency on Postgres', () => {
  let server: TestServer;
  beforeAll(async () => {
    if (target === null) return;
    server = await createTestServer({ store: postgresTestStore(target) });
  });
  afterAll(() => server?.close());

  const statusesOf = (responses: ApiResponse<unknown>[]): number[] =>
    responses.map((res) => res.status).sort((a, b) => a - b);

  test(`${PARALLEL} parallel registrations with one e-mail: exactly one 201, the rest 409`, async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        server.http.post('/auth/register', { body: { email, password: PASSWORD, name: `Racer ${i}` } }),
      ),
    );
    expect(statusesOf(responses)).toEqual([201, ...Array<number>(PARALLEL - 1).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) expectError(res, 409, 'CONFLICT');
    const users = await server.zekka.users.list(systemActor('test'), {
      limit: 100,
      offset: 0,
      search: email,
    });
    expect(users.items.map((user) => user.email)).toEqual([email]);
  });

  test(`${PARALLEL} parallel refreshes of one refresh token: exactly one 200`, async () => {
    const user = await registerUser(server.http);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        server.http.post('/auth/refresh', { body: { refreshToken: user.refreshToken } }),
      ),
    );
    const statuses = statusesOf(responses);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200)).toEqual(Array<number>(PARALLEL - 1).fill(401));
    for (const res of responses.filter((r) => r.status !== 200)) expectError(res, 401);
  });

  describe('a project never loses its last owner', () => {
    let alice: TestUser;
    let bob: TestUser;
    let others: [TestUser, TestUser, TestUser];
    beforeAll(async () => {
      const register = () => registerUser(server.http);
      [alice, bob] = await Promise.all([register(), register()]);
      others = await Promise.all([register(), register(), register()]);
    });

    const membersOf = (projectId: string): Promise<Member[]> =>
      server.zekka.projects.listMembers(systemActor('test'), projectId);

    /** A project owned by alice and bob, with the `others` as editors. */
    async function twoOwnerProject(name: string): Promise<string> {
      const project = await createProject(server.http, alice.accessToken, { name });
      await addMember(server.http, alice.accessToken, project.id, bob.email, 'owner');
      for (const other of others)
        await addMember(server.http, alice.accessToken, project.id, other.email, 'editor');
      return project.id;
    }

    test('two owners demoting, removing and leaving at once leave exactly one owner', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await twoOwnerProject(`Duel ${round}`);
        const member = (userId: string) => `/projects/${id}/members/${userId}`;
        const responses = await Promise.all([
          server.http.patch(member(bob.user.id), { token: alice.accessToken, body: { role: 'viewer' } }),
          server.http.patch(member(alice.user.id), { token: bob.accessToken, body: { role: 'viewer' } }),
          server.http.patch(member(bob.user.id), { token: alice.accessToken, body: { role: 'editor' } }),
          server.http.patch(member(alice.user.id), { token: bob.accessToken, body: { role: 'editor' } }),
          server.http.delete(member(bob.user.id), { token: alice.accessToken }),
          server.http.delete(member(alice.user.id), { token: bob.accessToken }),
          server.http.delete(member(alice.user.id), { token: alice.accessToken }),
          server.http.delete(member(bob.user.id), { token: bob.accessToken }),
        ]);
        for (const status of statusesOf(responses)) expect(RACE_OUTCOMES).toContain(status);
        const owners = (await membersOf(id)).filter((m) => m.role === 'owner');
        expect({ round, owners: owners.length }).toEqual({ round, owners: 1 });
      }
    });

    test('adds, promotions, demotions and removals in parallel always leave an owner', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await twoOwnerProject(`Churn ${round}`);
        const member = (userId: string) => `/projects/${id}/members/${userId}`;
        const [carol, dave, erin] = others;
        const responses = await Promise.all([
          server.http.patch(member(carol.user.id), { token: alice.accessToken, body: { role: 'owner' } }),
          server.http.patch(member(carol.user.id), { token: bob.accessToken, body: { role: 'viewer' } }),
          server.http.delete(member(carol.user.id), { token: bob.accessToken }),
          server.http.delete(member(dave.user.id), { token: alice.accessToken }),
          server.http.post(`/projects/${id}/members`, {
            token: bob.accessToken,
            body: { email: dave.email, role: 'owner' },
          }),
          server.http.patch(member(erin.user.id), { token: alice.accessToken, body: { role: 'owner' } }),
          server.http.patch(member(alice.user.id), { token: bob.accessToken, body: { role: 'viewer' } }),
          server.http.patch(member(bob.user.id), { token: alice.accessToken, body: { role: 'viewer' } }),
          server.http.delete(member(alice.user.id), { token: alice.accessToken }),
          server.http.delete(member(bob.user.id), { token: bob.accessToken }),
          server.http.delete(member(erin.user.id), { token: erin.accessToken }),
        ]);
        for (const status of statusesOf(responses)) expect(RACE_OUTCOMES).toContain(status);
        const members = await membersOf(id);
        expect(members.filter((m) => m.role === 'owner').length).toBeGreaterThanOrEqual(1);
        // Each user is a member at most once, whatever order the adds and removals ran in.
        expect(new Set(members.map((m) => m.userId)).size).toBe(members.length);
      }
    });
  });
});
