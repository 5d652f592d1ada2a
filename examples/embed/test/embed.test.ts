/**
 * The embedding example: a Bun host with its own sign-in drives Zekka's core directly and hears project
 * events on the bus — the same authorization rules as the server, with no `@zekka/server`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Member, Paged, Project, ZekkaEvent } from '@zekka/core';
import { type EmbedApp, startEmbedApp } from '../src/app.ts';

const ALICE = { token: 'alice-token', email: 'Alice@Example.com', name: 'Alice' };
const BOB = { token: 'bob-token', email: 'bob@example.com', name: 'Bob' };

let app: EmbedApp;
const events: ZekkaEvent[] = [];

beforeAll(async () => {
  app = await startEmbedApp({ users: [ALICE, BOB], port: 0, onEvent: (event) => events.push(event) });
});
afterAll(() => app.stop());

function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(new URL(path, app.url), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Resolves with the first event matching `predicate`, waiting up to a second for it. */
async function eventWhere(predicate: (event: ZekkaEvent) => boolean): Promise<ZekkaEvent> {
  for (let waited = 0; waited < 1_000; waited += 10) {
    const found = events.find(predicate);
    if (found) return found;
    await Bun.sleep(10);
  }
  throw new Error(`no matching event among ${JSON.stringify(events.map((e) => e.event))}`);
}

describe('embedded Zekka behind a Bun host', () => {
  let project: Project;

  test('a host user creates a project and becomes its owner', async () => {
    const res = await call('POST', '/projects', ALICE.token, {
      name: 'Embedded',
      description: 'from the host',
    });
    expect(res.status).toBe(201);
    project = (await res.json()) as Project;
    expect(project).toMatchObject({
      name: 'Embedded',
      description: 'from the host',
      status: 'active',
      role: 'owner',
    });
  });

  test('the host user is provisioned in Zekka once, with the e-mail lower-cased', async () => {
    const actor = await app.zekka.auth.actorForUser(project.ownerId);
    expect(actor).toMatchObject({ kind: 'user', userId: project.ownerId, via: 'host', role: 'user' });
    expect((await app.zekka.auth.me(actor)).email).toBe('alice@example.com');
    const again = (await (
      await call('POST', '/projects', ALICE.token, { name: 'Second' })
    ).json()) as Project;
    expect(again.ownerId).toBe(project.ownerId);
  });

  test('lists only the caller’s projects', async () => {
    const mine = (await (await call('GET', '/projects', ALICE.token)).json()) as Paged<Project>;
    expect(mine.items.map((p) => p.name)).toEqual(['Second', 'Embedded']);
    expect(mine.total).toBe(2);
    const theirs = (await (await call('GET', '/projects', BOB.token)).json()) as Paged<Project>;
    expect(theirs).toMatchObject({ items: [], total: 0 });
  });

  test('core decides authorization: another user gets 404 on the project', async () => {
    const res = await call('PATCH', `/projects/${project.id}`, BOB.token, { name: 'Hijacked' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  test('an update is heard on the bus as project:updated', async () => {
    const res = await call('PATCH', `/projects/${project.id}`, ALICE.token, { name: 'Renamed' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Project).name).toBe('Renamed');
    const event = await eventWhere((e) => e.event === 'project:updated' && e.data.projectId === project.id);
    expect(event.topics).toContain(`project:${project.id}`);
    expect(event.data).toMatchObject({ projectId: project.id });
    expect(typeof event.ts).toBe('number');
  });

  test('adding a member is heard as project:member_added, and the member then sees the project', async () => {
    // Bob must exist in Zekka before he can be added by e-mail: his first request provisions him.
    await call('GET', '/projects', BOB.token);
    const res = await call('POST', `/projects/${project.id}/members`, ALICE.token, {
      email: BOB.email,
      role: 'viewer',
    });
    expect(res.status).toBe(201);
    const member = (await res.json()) as Member;
    expect(member).toMatchObject({ email: BOB.email, role: 'viewer' });
    const event = await eventWhere((e) => e.event === 'project:member_added');
    expect(event.data).toMatchObject({ projectId: project.id, userId: member.userId, role: 'viewer' });
    const theirs = (await (await call('GET', '/projects', BOB.token)).json()) as Paged<Project>;
    expect(theirs.items.map((p) => [p.id, p.role])).toEqual([[project.id, 'viewer']]);
  });

  test('core validates input: a project without a name → 400 VALIDATION_FAILED', async () => {
    const res = await call('POST', '/projects', ALICE.token, { description: 'no name' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  test('the host refuses requests it has not signed in, and unknown routes', async () => {
    expect((await call('GET', '/projects')).status).toBe(401);
    expect((await call('GET', '/projects', 'stolen-token')).status).toBe(401);
    expect((await call('GET', '/nowhere', ALICE.token)).status).toBe(404);
  });
});
