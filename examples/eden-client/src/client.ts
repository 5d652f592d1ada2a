/**
 * @module client
 * A typed Zekka client with Eden: `treaty<App>` turns the server's route types into method calls, so a
 * wrong path, a wrong body or a misread response is a compile error. This script registers a user, signs
 * in, creates a project and lists the user's projects.
 *
 * Run it against a server: `ZEKKA_URL=http://localhost:3000 bun examples/eden-client/src/client.ts`.
 */
import { treaty } from '@elysiajs/eden';
import type { App } from '@zekka/server';

/** @default the `ZEKKA_URL` environment variable, else `http://localhost:3000` */
export const DEFAULT_URL = process.env.ZEKKA_URL ?? 'http://localhost:3000';

/**
 * A typed client for `baseUrl` (or an in-process app), sending `accessToken` as the bearer credential.
 * @example
 * const api = connect('http://localhost:3000', accessToken);
 * const { data } = await api.api.v1.projects.get({ query: { limit: 10 } });
 */
export function connect(baseUrl: string | App = DEFAULT_URL, accessToken?: string) {
  const headers = accessToken === undefined ? undefined : { authorization: `Bearer ${accessToken}` };
  return typeof baseUrl === 'string' ? treaty<App>(baseUrl, { headers }) : treaty<App>(baseUrl, { headers });
}

export type ZekkaApi = ReturnType<typeof connect>;

/** A failed call, with the contract's error code. */
export class ZekkaRequestError extends Error {
  override readonly name = 'ZekkaRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

interface EdenResult<T> {
  data: T | null;
  error: { status: unknown; value: unknown } | null;
}

/** The data of a successful Eden call; throws `ZekkaRequestError` for an error answer. */
export async function unwrap<T>(call: Promise<EdenResult<T>>): Promise<T> {
  const { data, error } = await call;
  if (error !== null || data === null) {
    const body = (error?.value ?? {}) as { error?: { code?: string; message?: string } };
    throw new ZekkaRequestError(
      Number(error?.status ?? 0),
      body.error?.code ?? 'UNKNOWN',
      body.error?.message ?? 'No response body',
    );
  }
  return data;
}

export interface DemoAccount {
  email: string;
  password: string;
  name: string;
}

/** Registers `account`, signs in, creates a project and lists the projects. */
export async function runDemo(target: string | App, account: DemoAccount, projectName = 'Eden demo') {
  const anonymous = connect(target);
  const registered = await unwrap(anonymous.api.v1.auth.register.post(account));
  const signedIn = await unwrap(
    anonymous.api.v1.auth.login.post({ email: account.email, password: account.password }),
  );
  const api = connect(target, signedIn.data.accessToken);
  const created = await unwrap(
    api.api.v1.projects.post({ name: projectName, description: 'Created through the typed Eden client' }),
  );
  const listed = await unwrap(api.api.v1.projects.get({ query: { limit: 10, offset: 0 } }));
  return {
    registeredUser: registered.data.user,
    user: signedIn.data.user,
    project: created.data,
    projects: listed.data,
    total: listed.pagination.total,
  };
}

if (import.meta.main) {
  const suffix = crypto.randomUUID().slice(0, 8);
  const result = await runDemo(DEFAULT_URL, {
    email: `eden.${suffix}@example.com`,
    password: 'Typed-Client-2024!',
    name: 'Eden Demo',
  });
  console.log(`signed in as ${result.user.email} (${result.user.id})`);
  console.log(`created project ${result.project.name} (${result.project.id}), role ${result.project.role}`);
  console.log(`${result.total} project(s): ${result.projects.map((p) => p.name).join(', ')}`);
}
