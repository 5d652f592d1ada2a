/**
 * @module fixtures
 * Users and projects for the acceptance suite. Registrations cost one argon2id hash (~110 ms) each, so
 * tests share them where they can.
 */
import { expect } from 'bun:test';
import { type AuthResult, type Project, systemActor, type User } from '@zekka/core';
import type { HttpClient } from './http-client.ts';
import type { TestServer } from './test-server.ts';

/** Meets the password policy: 12+ characters, mixed classes, not on the deny-list. */
export const PASSWORD = 'Quiet-Lantern-42!';
export const OTHER_PASSWORD = 'Amber-Harbour-77?';

let sequence = 0;

/** A fresh, unique e-mail address. */
export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}.${sequence}.${crypto.randomUUID().slice(0, 8)}@example.test`;
}

export interface TestUser {
  user: User;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a user over HTTP and returns its tokens. Fails the test if registration fails. */
export async function registerUser(
  http: HttpClient,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? PASSWORD;
  const res = await http.post<AuthResult>('/auth/register', {
    body: { email, password, name: overrides.name ?? 'Test User' },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    email,
    password,
    user: res.data.user,
    accessToken: res.data.accessToken,
    refreshToken: res.data.refreshToken,
  };
}

/** Logs in over HTTP; fails the test when the login does not succeed. */
export async function login(http: HttpClient, email: string, password: string): Promise<AuthResult> {
  const res = await http.post<AuthResult>('/auth/login', { body: { email, password } });
  expect(res.status).toBe(200);
  return res.data;
}

/** Creates an admin through core (as the CLI does) and logs it in over HTTP. */
export async function createAdmin(server: TestServer): Promise<TestUser> {
  const email = uniqueEmail('admin');
  await server.zekka.users.create(systemActor('test'), {
    email,
    name: 'Admin',
    password: PASSWORD,
    role: 'admin',
  });
  const auth = await login(server.http, email, PASSWORD);
  return { email, password: PASSWORD, ...auth };
}

/** Creates a project over HTTP as `token`'s user. */
export async function createProject(
  http: HttpClient,
  token: string,
  body: { name?: string; description?: string | null; settings?: Record<string, unknown> } = {},
): Promise<Project> {
  const res = await http.post<Project>('/projects', { token, body: { name: 'Project', ...body } });
  if (res.status !== 201) throw new Error(`create project failed: ${res.status} ${res.text}`);
  return res.data;
}

/** Adds `email` to the project with `role`, as the owner `token`. */
export async function addMember(
  http: HttpClient,
  token: string,
  projectId: string,
  email: string,
  role: 'owner' | 'editor' | 'viewer',
): Promise<void> {
  const res = await http.post(`/projects/${projectId}/members`, { token, body: { email, role } });
  if (res.status !== 201) throw new Error(`add member failed: ${res.status} ${res.text}`);
}

/** A project with one user of each role, and someone outside it. */
export interface ProjectTeam {
  owner: TestUser;
  editor: TestUser;
  viewer: TestUser;
  stranger: TestUser;
  project: Project;
}

/** Registers four users and gives three of them a role in a new project named `name`. */
export async function givenProjectTeam(http: HttpClient, name: string): Promise<ProjectTeam> {
  const [owner, editor, viewer, stranger] = await Promise.all([
    registerUser(http),
    registerUser(http),
    registerUser(http),
    registerUser(http),
  ]);
  const project = await createProject(http, owner.accessToken, { name });
  await addMember(http, owner.accessToken, project.id, editor.email, 'editor');
  await addMember(http, owner.accessToken, project.id, viewer.email, 'viewer');
  return { owner, editor, viewer, stranger, project };
}
