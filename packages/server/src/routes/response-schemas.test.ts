import { describe, expect, test } from 'bun:test';
import { Type } from '@sinclair/typebox';
import { Elysia } from 'elysia';
import { responseSchemas } from './route-deps.ts';

const Thing = Type.Object({ id: Type.String({ pattern: '^t-' }) });

function appWith(validate: boolean, body: { id: string; passwordHash?: string }) {
  const responses = responseSchemas(validate);
  // The handler is typed loosely on purpose: these tests send what the schema forbids.
  return new Elysia().get('/thing', () => body as { id: string }, { response: responses({ 200: Thing }) });
}

const get = async (app: ReturnType<typeof appWith>) => {
  const res = await app.handle(new Request('http://localhost/thing'));
  return { status: res.status, body: await res.text() };
};

describe('response schemas', () => {
  test('validated: a response that breaks its schema is refused', async () => {
    expect((await get(appWith(true, { id: 'nope' }))).status).not.toBe(200);
  });

  test('documented only: the check is skipped', async () => {
    expect(await get(appWith(false, { id: 'nope' }))).toEqual({ status: 200, body: '{"id":"nope"}' });
  });

  test.each([true, false])('undeclared fields never leave the server (validate: %p)', async (validate) => {
    const { body } = await get(appWith(validate, { id: 't-1', passwordHash: 'secret' }));
    expect(JSON.parse(body)).toEqual({ id: 't-1' });
  });

  test('the schemas keep everything else', () => {
    const [unchecked] = Object.values(responseSchemas(false)({ 200: Thing }));
    expect(unchecked).toMatchObject({ ...Thing, noValidate: true });
  });
});
