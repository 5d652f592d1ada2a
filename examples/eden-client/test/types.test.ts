/**
 * Type-level tests: `tsc` fails if the Eden types stop catching mistakes or stop describing responses.
 * The calls live in a function that is never run; only the compiler reads them.
 */
import { expect, expectTypeOf, test } from 'bun:test';
import { connect, type ZekkaApi } from '../src/client.ts';

type Created<T extends (...args: never[]) => Promise<{ data: unknown }>> = NonNullable<
  Awaited<ReturnType<T>>['data']
>;

type ProjectsPost = ZekkaApi['api']['v1']['projects']['post'];
type ProjectsGet = ZekkaApi['api']['v1']['projects']['get'];
type Login = ZekkaApi['api']['v1']['auth']['login']['post'];
type Register = ZekkaApi['api']['v1']['auth']['register']['post'];

/** Never called: each `@ts-expect-error` must stay an error, or `tsc` reports it as unused. */
function mistakesTheTypesCatch(api: ZekkaApi) {
  // @ts-expect-error a project name is a string, not a number
  void api.api.v1.projects.post({ name: 42 });
  // @ts-expect-error no such route
  void api.api.v1.projectz.get();
  // @ts-expect-error register needs a password and a name
  void api.api.v1.auth.register.post({ email: 'a@example.com' });
  // @ts-expect-error `limit` is a number
  void api.api.v1.projects.get({ query: { limit: 'ten' } });
  // @ts-expect-error a member's role is owner, editor or viewer
  void api.api.v1.projects({ projectId: 'x' }).members.post({ email: 'a@example.com', role: 'admin' });
  // @ts-expect-error there is no DELETE on the projects collection
  void api.api.v1.projects.delete();
}

test('the response data types describe the contract', () => {
  expectTypeOf<Created<ProjectsPost>['data']['id']>().toEqualTypeOf<string>();
  expectTypeOf<Created<ProjectsPost>['data']>().toHaveProperty('role');
  expectTypeOf<Created<ProjectsPost>['data']['role']>().toEqualTypeOf<'owner' | 'editor' | 'viewer'>();
  expectTypeOf<Created<ProjectsGet>['data'][number]['id']>().toEqualTypeOf<string>();
  expectTypeOf<Created<ProjectsGet>['pagination']['total']>().toEqualTypeOf<number>();
  expectTypeOf<Created<Login>['data']['user']['id']>().toEqualTypeOf<string>();
  expectTypeOf<Created<Login>['data']['accessToken']>().toEqualTypeOf<string>();
  expectTypeOf<Created<Register>['data']['user']['email']>().toEqualTypeOf<string>();
  expectTypeOf(connect).returns.toEqualTypeOf<ZekkaApi>();
  expect(typeof mistakesTheTypesCatch).toBe('function');
});
