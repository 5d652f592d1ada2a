/**
 * Contract rows 20–27: projects — create, read, list (membership, filters, order, pages), update, soft
 * delete, archive and unarchive, stats.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Project, ProjectStats } from '@zekka/core';
import { expectError, expectNoContent, expectOk, ISO_RE, UUID_RE } from './support/expect-envelope.ts';
import { createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const PROJECT_KEYS = [
  'createdAt',
  'description',
  'id',
  'name',
  'ownerId',
  'role',
  'settings',
  'status',
  'updatedAt',
];

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  server = await createTestServer();
  [owner, stranger] = await Promise.all([registerUser(server.http), registerUser(server.http)]);
});
afterAll(() => server.close());

/** A user with no projects yet, so list assertions are exact. */
const freshUser = () => registerUser(server.http);

describe('POST /projects (row 21)', () => {
  test.concurrent('answers 201 with the project; the caller is its owner', async () => {
    const res = await server.http.post<Project>('/projects', {
      token: owner.accessToken,
      body: { name: 'Apollo', description: 'Moon shot', settings: { theme: 'dark', nested: { a: 1 } } },
    });
    const project = expectOk(res, 201);
    expect(Object.keys(project).sort()).toEqual(PROJECT_KEYS);
    expect(project).toMatchObject({
      name: 'Apollo',
      description: 'Moon shot',
      status: 'active',
      settings: { theme: 'dark', nested: { a: 1 } },
      ownerId: owner.user.id,
      role: 'owner',
    });
    expect(project.id).toMatch(UUID_RE);
    expect(project.createdAt).toMatch(ISO_RE);
    expect(project.updatedAt).toMatch(ISO_RE);
  });

  test.concurrent('fills defaults: description null, settings {}', async () => {
    const project = await createProject(server.http, owner.accessToken, { name: 'Bare' });
    expect(project).toMatchObject({ description: null, settings: {} });
  });
});

describe('GET /projects/:projectId (row 22)', () => {
  test.concurrent('answers the project with the caller role', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Readable' });
    const project = expectOk(
      await server.http.get<Project>(`/projects/${created.id}`, { token: owner.accessToken }),
    );
    expect(project).toEqual(created);
  });

  test.concurrent('another user’s project and an unknown id → 404 NOT_FOUND', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Private' });
    expectError(
      await server.http.get(`/projects/${created.id}`, { token: stranger.accessToken }),
      404,
      'NOT_FOUND',
    );
    const unknown = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';
    expectError(
      await server.http.get(`/projects/${unknown}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('GET /projects (row 20)', () => {
  test.concurrent('lists only the caller’s projects, newest-updated first, with pagination', async () => {
    const [user, other] = await Promise.all([freshUser(), freshUser()]);
    const first = await createProject(server.http, user.accessToken, { name: 'First' });
    server.clock.advance(1_000);
    const second = await createProject(server.http, user.accessToken, { name: 'Second' });
    server.clock.advance(1_000);
    const third = await createProject(server.http, user.accessToken, { name: 'Third' });
    const foreign = await createProject(server.http, other.accessToken, { name: 'Foreign' });

    const res = await server.http.get<Project[]>('/projects', { token: user.accessToken });
    const projects = expectOk(res);
    expect(projects.map((p) => p.id)).toEqual([third.id, second.id, first.id]);
    expect(projects.map((p) => p.id)).not.toContain(foreign.id);
    expect(res.pagination).toEqual({ limit: 20, offset: 0, total: 3, hasMore: false });
    expect(projects.every((p) => p.role === 'owner')).toBe(true);

    server.clock.advance(1_000);
    expectOk(
      await server.http.patch(`/projects/${first.id}`, { token: user.accessToken, body: { name: 'First!' } }),
    );
    const reordered = expectOk(await server.http.get<Project[]>('/projects', { token: user.accessToken }));
    expect(reordered.map((p) => p.id)).toEqual([first.id, third.id, second.id]);

    const page = await server.http.get<Project[]>('/projects', {
      token: user.accessToken,
      query: { limit: 1, offset: 1 },
    });
    expect(expectOk(page).map((p) => p.id)).toEqual([third.id]);
    expect(page.pagination).toEqual({ limit: 1, offset: 1, total: 3, hasMore: true });

    const past = await server.http.get<Project[]>('/projects', {
      token: user.accessToken,
      query: { offset: 5 },
    });
    expect(expectOk(past)).toEqual([]);
    expect(past.pagination).toEqual({ limit: 20, offset: 5, total: 3, hasMore: false });
  });

  test.concurrent('filters by status and by a case-insensitive search', async () => {
    const user = await freshUser();
    const alpha = await createProject(server.http, user.accessToken, { name: 'Alpha Centauri' });
    const beta = await createProject(server.http, user.accessToken, {
      name: 'Beta',
      description: 'near ALPHA',
    });
    const gamma = await createProject(server.http, user.accessToken, { name: 'Gamma' });
    expectOk(await server.http.post(`/projects/${gamma.id}/archive`, { token: user.accessToken }));

    const archived = expectOk(
      await server.http.get<Project[]>('/projects', {
        token: user.accessToken,
        query: { status: 'archived' },
      }),
    );
    expect(archived.map((p) => p.id)).toEqual([gamma.id]);
    const active = expectOk(
      await server.http.get<Project[]>('/projects', { token: user.accessToken, query: { status: 'active' } }),
    );
    expect(active.map((p) => p.id).sort()).toEqual([alpha.id, beta.id].sort());
    const found = expectOk(
      await server.http.get<Project[]>('/projects', { token: user.accessToken, query: { search: 'alpha' } }),
    );
    expect(found.map((p) => p.id).sort()).toEqual([alpha.id, beta.id].sort());
  });
});

describe('PATCH /projects/:projectId (row 23)', () => {
  test.concurrent('updates name, description and settings', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Draft', description: 'd' });
    server.clock.advance(1_000);
    const res = await server.http.patch<Project>(`/projects/${created.id}`, {
      token: owner.accessToken,
      body: { name: 'Final', description: null, settings: { x: true } },
    });
    const updated = expectOk(res);
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Final',
      description: null,
      settings: { x: true },
    });
    expect(updated.createdAt).toBe(created.createdAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    const read = expectOk(
      await server.http.get<Project>(`/projects/${created.id}`, { token: owner.accessToken }),
    );
    expect(read).toEqual(updated);
  });
});

describe('DELETE /projects/:projectId (row 24)', () => {
  test.concurrent('answers 204; the project is gone from reads, lists and further deletes', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Doomed' });
    expectNoContent(await server.http.delete(`/projects/${created.id}`, { token: owner.accessToken }));
    expectError(
      await server.http.get(`/projects/${created.id}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
    const list = expectOk(
      await server.http.get<Project[]>('/projects', { token: owner.accessToken, query: { limit: 100 } }),
    );
    expect(list.map((p) => p.id)).not.toContain(created.id);
    expectError(
      await server.http.delete(`/projects/${created.id}`, { token: owner.accessToken }),
      404,
      'NOT_FOUND',
    );
    const patch = await server.http.patch(`/projects/${created.id}`, {
      token: owner.accessToken,
      body: { name: 'x' },
    });
    expectError(patch, 404, 'NOT_FOUND');
  });
});

describe('archive and unarchive (rows 25–26)', () => {
  test.concurrent('archive answers the project with status archived; unarchive with active', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Shelf' });
    const archived = expectOk(
      await server.http.post<Project>(`/projects/${created.id}/archive`, { token: owner.accessToken }),
    );
    expect(archived).toMatchObject({ id: created.id, status: 'archived', role: 'owner' });
    const read = expectOk(
      await server.http.get<Project>(`/projects/${created.id}`, { token: owner.accessToken }),
    );
    expect(read.status).toBe('archived');
    const restored = expectOk(
      await server.http.post<Project>(`/projects/${created.id}/unarchive`, { token: owner.accessToken }),
    );
    expect(restored).toMatchObject({ id: created.id, status: 'active' });
  });
});

describe('GET /projects/:projectId/stats (row 27)', () => {
  test.concurrent('answers the counts, all numbers', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Counted' });
    const periods: Record<string, string>[] = [
      {},
      ...['day', 'week', 'month', 'year', 'all'].map((period) => ({ period })),
    ];
    for (const query of periods) {
      const stats = expectOk(
        await server.http.get<ProjectStats>(`/projects/${created.id}/stats`, {
          token: owner.accessToken,
          query,
        }),
      );
      expect(stats).toEqual({
        conversations: 0,
        messages: 0,
        sources: 0,
        agents: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      });
    }
  });

  test.concurrent('an unknown period → 400; a stranger → 404', async () => {
    const created = await createProject(server.http, owner.accessToken, { name: 'Counted too' });
    const bad = await server.http.get(`/projects/${created.id}/stats`, {
      token: owner.accessToken,
      query: { period: 'fortnight' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expectError(
      await server.http.get(`/projects/${created.id}/stats`, { token: stranger.accessToken }),
      404,
      'NOT_FOUND',
    );
  });
});
