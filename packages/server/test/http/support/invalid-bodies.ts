/**
 * @module invalid-bodies
 * The JSON routes of rows 1–31 and, for each, request bodies its schema must refuse: wrong types,
 * missing fields, oversized strings.
 */
import { PASSWORD } from './fixtures.ts';

/** The ids and addresses the bodies and paths refer to. */
export interface RouteTargets {
  projectId: string;
  userId: string;
  adminEmail: string;
}

export interface JsonRoute {
  name: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: () => string;
  /** Which credential to send. */
  as: 'anonymous' | 'user' | 'admin';
  /** Bodies that break the route's schema (wrong types, missing fields, oversized strings). */
  invalid: () => unknown[];
}

export const long = (n: number) => 'x'.repeat(n);

/**
 * Every route with a JSON body, with bodies that break its schema. `target` is read when a request is
 * built, so the table can name tests before the fixtures exist.
 */
export function jsonRoutes(target: () => RouteTargets): JsonRoute[] {
  return [
    {
      name: 'POST /auth/register',
      method: 'POST',
      path: () => '/auth/register',
      as: 'anonymous',
      invalid: () => [
        {},
        { email: 'a@example.test', password: PASSWORD },
        { email: 'a@example.test', name: 'A' },
        { password: PASSWORD, name: 'A' },
        { email: 123, password: PASSWORD, name: 'A' },
        { email: 'not-an-email', password: PASSWORD, name: 'A' },
        { email: `${long(300)}@example.test`, password: PASSWORD, name: 'A' },
        { email: 'a@example.test', password: ['x'], name: 'A' },
        { email: 'a@example.test', password: `Aa1!${long(200)}`, name: 'A' },
        { email: 'a@example.test', password: PASSWORD, name: {} },
        { email: 'a@example.test', password: PASSWORD, name: '' },
        { email: 'a@example.test', password: PASSWORD, name: long(10_000) },
      ],
    },
    {
      name: 'POST /auth/login',
      method: 'POST',
      path: () => '/auth/login',
      as: 'anonymous',
      invalid: () => [
        {},
        { email: null, password: PASSWORD },
        { email: 'a@example.test' },
        { password: PASSWORD },
        { email: long(1000), password: PASSWORD },
      ],
    },
    {
      name: 'POST /auth/refresh',
      method: 'POST',
      path: () => '/auth/refresh',
      as: 'anonymous',
      invalid: () => [{}, { refreshToken: 1 }, { refreshToken: '' }, { refreshToken: long(5000) }],
    },
    {
      name: 'POST /auth/verify-email',
      method: 'POST',
      path: () => '/auth/verify-email',
      as: 'anonymous',
      invalid: () => [{}, { token: [] }, { token: '' }, { token: long(5000) }],
    },
    {
      name: 'POST /auth/forgot-password',
      method: 'POST',
      path: () => '/auth/forgot-password',
      as: 'anonymous',
      invalid: () => [{}, { email: 5 }, { email: long(1000) }],
    },
    {
      name: 'POST /auth/reset-password',
      method: 'POST',
      path: () => '/auth/reset-password',
      as: 'anonymous',
      invalid: () => [{}, { token: 'x' }, { newPassword: PASSWORD }, { token: 1, newPassword: PASSWORD }],
    },
    {
      name: 'PATCH /auth/me',
      method: 'PATCH',
      path: () => '/auth/me',
      as: 'user',
      invalid: () => [
        { name: 5 },
        { name: '' },
        { name: long(10_000) },
        { avatarUrl: 5 },
        { avatarUrl: 'not a url' },
      ],
    },
    {
      name: 'DELETE /auth/me',
      method: 'DELETE',
      path: () => '/auth/me',
      as: 'user',
      invalid: () => [{}, { password: 5 }, { password: null }],
    },
    {
      name: 'POST /auth/change-password',
      method: 'POST',
      path: () => '/auth/change-password',
      as: 'user',
      invalid: () => [{}, { currentPassword: PASSWORD }, { currentPassword: 1, newPassword: 2 }],
    },
    {
      name: 'POST /auth/api-keys',
      method: 'POST',
      path: () => '/auth/api-keys',
      as: 'user',
      invalid: () => [
        {},
        { name: 5 },
        { name: '' },
        { name: long(1000) },
        { name: 'k', expiresAt: 'yesterday' },
        { name: 'k', expiresAt: 5 },
      ],
    },
    {
      name: 'POST /projects',
      method: 'POST',
      path: () => '/projects',
      as: 'user',
      invalid: () => [
        {},
        { name: 5 },
        { name: '' },
        { name: long(201) },
        { name: 'p', description: 5 },
        { name: 'p', description: long(2001) },
        { name: 'p', settings: 'dark' },
        { name: 'p', settings: [1, 2] },
        { name: 'p', settings: 5 },
      ],
    },
    {
      name: 'PATCH /projects/:projectId',
      method: 'PATCH',
      path: () => `/projects/${target().projectId}`,
      as: 'user',
      invalid: () => [{ name: 5 }, { name: '' }, { name: long(201) }, { settings: 5 }, { description: [] }],
    },
    {
      name: 'POST /projects/:projectId/members',
      method: 'POST',
      path: () => `/projects/${target().projectId}/members`,
      as: 'user',
      invalid: () => [
        {},
        { email: target().adminEmail },
        { role: 'viewer' },
        { email: 5, role: 'viewer' },
        { email: 'nope', role: 'viewer' },
        { email: target().adminEmail, role: 'god' },
      ],
    },
    {
      name: 'PATCH /projects/:projectId/members/:userId',
      method: 'PATCH',
      path: () => `/projects/${target().projectId}/members/${target().userId}`,
      as: 'user',
      invalid: () => [{}, { role: 'god' }, { role: 5 }],
    },
    {
      name: 'PATCH /users/:userId',
      method: 'PATCH',
      path: () => `/users/${target().userId}`,
      as: 'admin',
      invalid: () => [{ role: 'god' }, { disabled: 'yes' }, { role: 5 }],
    },
  ];
}
