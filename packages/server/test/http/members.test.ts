/**
 * Contract rows 28–31 and the project roles: members are added by e-mail; non-members see 404 everywhere,
 * viewers read, editors also update, owners manage; the last owner stays; a member may leave.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Member, Project } from '@zekka/core';
import { expectError, expectNoContent, expectOk, ISO_RE } from './support/expect-envelope.ts';
import { addMember, createProject, registerUser, type TestUser } from './support/fixtures.ts';
import type { ApiResponse } from './support/http-client.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let owner: TestUser;
let editor: TestUser;
let viewer: TestUser;
let outsider: TestUser;
/** Owned by `owner`, with `editor` and `viewer`; tests here never change its membership. */
let project: Project;

beforeAll(async () => {
  server = await createTestServer();
  [owner, editor, viewer, outsider] = await Promise.all([
    registerUser(server.http, { name: 'Olive Owner' }),
    registerUser(server.http, { name: 'Eddie Editor' }),
    registerUser(server.http, { name: 'Vera Viewer' }),
    registerUser(server.http, { name: 'Oscar Outsider' }),
  ]);
  project = await createProject(server.http, owner.accessToken, { name: 'Team' });
  server.clock.advance(1_000);
  await addMember(server.http, owner.accessToken, project.id, editor.email, 'editor');
  server.clock.advance(1_000);
  await addMember(server.http, owner.accessToken, project.id, viewer.email.toUpperCase(), 'viewer');
});
afterAll(() => server.close());

type Call = (token: string) => Promise<ApiResponse<unknown>>;

/** Every project route of rows 22–31, as a given user would call it on `project` (read when called). */
function projectRoutes(): [string, Call][] {
  const p = () => `/projects/${project.id}`;
  return [
    ['GET project', (token) => server.http.get(p(), { token })],
    ['PATCH project', (token) => server.http.patch(p(), { token, body: { name: 'Renamed' } })],
    ['DELETE project', (token) => server.http.delete(p(), { token })],
    ['POST archive', (token) => server.http.post(`${p()}/archive`, { token })],
    ['POST unarchive', (token) => server.http.post(`${p()}/unarchive`, { token })],
    ['GET stats', (token) => server.http.get(`${p()}/stats`, { token })],
    ['GET members', (token) => server.http.get(`${p()}/members`, { token })],
    [
      'POST members',
      (token) =>
        server.http.post(`${p()}/members`, { token, body: { email: outsider.email, role: 'viewer' } }),
    ],
    [
      'PATCH member',
      (token) => server.http.patch(`${p()}/members/${viewer.user.id}`, { token, body: { role: 'editor' } }),
    ],
    // Aimed at the owner, so it is never a member leaving (which any member may do).
    ['DELETE member', (token) => server.http.delete(`${p()}/members/${owner.user.id}`, { token })],
  ];
}

describe('GET /projects/:projectId/members (row 28)', () => {
  test('lists { userId, name, email, role, addedAt }, owners first', async () => {
    const members = expectOk(
      await server.http.get<Member[]>(`/projects/${project.id}/members`, { token: viewer.accessToken }),
    );
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      [owner.user.id, 'owner'],
      [editor.user.id, 'editor'],
      [viewer.user.id, 'viewer'],
    ]);
    for (const member of members) {
      expect(Object.keys(member).sort()).toEqual(['addedAt', 'email', 'name', 'role', 'userId']);
      expect(member.addedAt).toMatch(ISO_RE);
    }
    expect(members[2]).toMatchObject({ name: 'Vera Viewer', email: viewer.email });
  });
});

describe('POST /projects/:projectId/members (row 29)', () => {
  test.concurrent('adds by e-mail and answers 201 with the member', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Adding' });
    const res = await server.http.post<Member>(`/projects/${own.id}/members`, {
      token: owner.accessToken,
      body: { email: outsider.email, role: 'editor' },
    });
    expect(expectOk(res, 201)).toMatchObject({
      userId: outsider.user.id,
      email: outsider.email,
      role: 'editor',
    });
    const seen = expectOk(
      await server.http.get<Project>(`/projects/${own.id}`, { token: outsider.accessToken }),
    );
    expect(seen.role).toBe('editor');
    const listed = expectOk(
      await server.http.get<Project[]>('/projects', { token: outsider.accessToken, query: { limit: 100 } }),
    );
    expect(listed.map((p) => p.id)).toContain(own.id);
  });

  test.concurrent('an unknown e-mail → 404; an existing member → 409; a bad role → 400', async () => {
    const unknown = await server.http.post(`/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { email: 'no.such.person@example.test', role: 'viewer' },
    });
    expectError(unknown, 404, 'NOT_FOUND');
    const duplicate = await server.http.post(`/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { email: editor.email, role: 'viewer' },
    });
    expectError(duplicate, 409, 'CONFLICT');
    const badRole = await server.http.post(`/projects/${project.id}/members`, {
      token: owner.accessToken,
      body: { email: outsider.email, role: 'superuser' },
    });
    expectError(badRole, 400, 'VALIDATION_FAILED');
  });
});

describe('roles', () => {
  for (const [name, call] of projectRoutes()) {
    test.concurrent(`a non-member gets 404 on ${name}`, async () => {
      expectError(await call(outsider.accessToken), 404, 'NOT_FOUND');
    });
  }

  const viewerReads = new Set(['GET project', 'GET stats', 'GET members']);
  for (const [name, call] of projectRoutes()) {
    if (viewerReads.has(name)) {
      test.concurrent(`a viewer may ${name}`, async () => {
        expectOk(await call(viewer.accessToken));
      });
    } else {
      test.concurrent(`a viewer gets 403 on ${name}`, async () => {
        expectError(await call(viewer.accessToken), 403, 'FORBIDDEN');
      });
    }
  }

  const editorForbidden = [
    'DELETE project',
    'POST archive',
    'POST unarchive',
    'POST members',
    'PATCH member',
    'DELETE member',
  ];
  for (const [name, call] of projectRoutes()) {
    if (!editorForbidden.includes(name)) continue;
    test.concurrent(`an editor gets 403 on ${name}`, async () => {
      expectError(await call(editor.accessToken), 403, 'FORBIDDEN');
    });
  }

  test('an editor may update the project', async () => {
    const res = await server.http.patch<Project>(`/projects/${project.id}`, {
      token: editor.accessToken,
      body: { description: 'edited by the editor' },
    });
    expect(expectOk(res)).toMatchObject({ description: 'edited by the editor', role: 'editor' });
  });

  test('the project is unchanged after every refused call', async () => {
    const read = expectOk(
      await server.http.get<Project>(`/projects/${project.id}`, { token: owner.accessToken }),
    );
    expect(read).toMatchObject({ name: 'Team', status: 'active' });
    const members = expectOk(
      await server.http.get<Member[]>(`/projects/${project.id}/members`, { token: owner.accessToken }),
    );
    expect(members.map((m) => m.role)).toEqual(['owner', 'editor', 'viewer']);
  });
});

describe('PATCH /projects/:projectId/members/:userId (row 30)', () => {
  test.concurrent('changes a role and answers the member; a non-member → 404', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Roles' });
    await addMember(server.http, owner.accessToken, own.id, viewer.email, 'viewer');
    const res = await server.http.patch<Member>(`/projects/${own.id}/members/${viewer.user.id}`, {
      token: owner.accessToken,
      body: { role: 'editor' },
    });
    expect(expectOk(res)).toMatchObject({ userId: viewer.user.id, role: 'editor' });
    const seen = expectOk(
      await server.http.get<Project>(`/projects/${own.id}`, { token: viewer.accessToken }),
    );
    expect(seen.role).toBe('editor');
    const missing = await server.http.patch(`/projects/${own.id}/members/${outsider.user.id}`, {
      token: owner.accessToken,
      body: { role: 'editor' },
    });
    expectError(missing, 404, 'NOT_FOUND');
  });

  test.concurrent('the last owner cannot be demoted (409); with a second owner it can', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Last owner' });
    const demote = await server.http.patch(`/projects/${own.id}/members/${owner.user.id}`, {
      token: owner.accessToken,
      body: { role: 'editor' },
    });
    expectError(demote, 409, 'CONFLICT');
    await addMember(server.http, owner.accessToken, own.id, editor.email, 'owner');
    const ok = await server.http.patch<Member>(`/projects/${own.id}/members/${owner.user.id}`, {
      token: owner.accessToken,
      body: { role: 'editor' },
    });
    expect(expectOk(ok).role).toBe('editor');
    const project2 = expectOk(
      await server.http.get<Project>(`/projects/${own.id}`, { token: owner.accessToken }),
    );
    expect(project2.role).toBe('editor');
  });
});

describe('DELETE /projects/:projectId/members/:userId (row 31)', () => {
  test.concurrent('the owner removes a member: 204, and the member loses access at once', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Removal' });
    await addMember(server.http, owner.accessToken, own.id, editor.email, 'editor');
    expectOk(await server.http.get(`/projects/${own.id}`, { token: editor.accessToken }));
    expectNoContent(
      await server.http.delete(`/projects/${own.id}/members/${editor.user.id}`, { token: owner.accessToken }),
    );
    expectError(
      await server.http.get(`/projects/${own.id}`, { token: editor.accessToken }),
      404,
      'NOT_FOUND',
    );
    const again = await server.http.delete(`/projects/${own.id}/members/${editor.user.id}`, {
      token: owner.accessToken,
    });
    expectError(again, 404, 'NOT_FOUND');
  });

  test.concurrent('a member may leave', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Leaving' });
    await addMember(server.http, owner.accessToken, own.id, viewer.email, 'viewer');
    expectNoContent(
      await server.http.delete(`/projects/${own.id}/members/${viewer.user.id}`, {
        token: viewer.accessToken,
      }),
    );
    expectError(
      await server.http.get(`/projects/${own.id}`, { token: viewer.accessToken }),
      404,
      'NOT_FOUND',
    );
    const members = expectOk(
      await server.http.get<Member[]>(`/projects/${own.id}/members`, { token: owner.accessToken }),
    );
    expect(members.map((m) => m.userId)).toEqual([owner.user.id]);
  });

  test.concurrent('the last owner cannot be removed or leave (409); with a second owner it can leave', async () => {
    const own = await createProject(server.http, owner.accessToken, { name: 'Stays' });
    const leave = await server.http.delete(`/projects/${own.id}/members/${owner.user.id}`, {
      token: owner.accessToken,
    });
    expectError(leave, 409, 'CONFLICT');
    await addMember(server.http, owner.accessToken, own.id, editor.email, 'owner');
    expectNoContent(
      await server.http.delete(`/projects/${own.id}/members/${owner.user.id}`, { token: owner.accessToken }),
    );
    expectError(await server.http.get(`/projects/${own.id}`, { token: owner.accessToken }), 404, 'NOT_FOUND');
    const members = expectOk(
      await server.http.get<Member[]>(`/projects/${own.id}/members`, { token: editor.accessToken }),
    );
    expect(members.map((m) => [m.userId, m.role])).toEqual([[editor.user.id, 'owner']]);
  });
});
