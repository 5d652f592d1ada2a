/**
 * The OpenAPI document describes every route with its responses, and Swagger UI is served entirely from
 * this server (it must render with no internet).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { createTestApp, createTestZekka, send } from './support/test-app.ts';

const zekka = createTestZekka();
const app = createTestApp(zekka);
afterAll(() => zekka.close());

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  security?: unknown[];
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const document = async (): Promise<OpenApiDocument> => {
  const res = await send(app, 'GET', '/swagger/json');
  expect(res.status).toBe(200);
  return res.json as OpenApiDocument;
};

/** Contract rows 1–42, 44–45 and 60, plus `POST /auth/resend-verification`. */
const CONTRACT = [
  'post /api/v1/auth/register',
  'post /api/v1/auth/login',
  'post /api/v1/auth/refresh',
  'post /api/v1/auth/logout',
  'get /api/v1/auth/me',
  'patch /api/v1/auth/me',
  'delete /api/v1/auth/me',
  'get /api/v1/auth/me/export',
  'post /api/v1/auth/change-password',
  'post /api/v1/auth/verify-email',
  'post /api/v1/auth/forgot-password',
  'post /api/v1/auth/reset-password',
  'get /api/v1/auth/sessions',
  'delete /api/v1/auth/sessions/{sessionId}',
  'get /api/v1/auth/api-keys',
  'post /api/v1/auth/api-keys',
  'delete /api/v1/auth/api-keys/{keyId}',
  'post /api/v1/auth/resend-verification',
  'get /api/v1/users',
  'patch /api/v1/users/{userId}',
  'get /api/v1/projects',
  'post /api/v1/projects',
  'get /api/v1/projects/{projectId}',
  'patch /api/v1/projects/{projectId}',
  'delete /api/v1/projects/{projectId}',
  'post /api/v1/projects/{projectId}/archive',
  'post /api/v1/projects/{projectId}/unarchive',
  'get /api/v1/projects/{projectId}/stats',
  'get /api/v1/projects/{projectId}/members',
  'post /api/v1/projects/{projectId}/members',
  'patch /api/v1/projects/{projectId}/members/{userId}',
  'delete /api/v1/projects/{projectId}/members/{userId}',
  'get /api/v1/projects/{projectId}/budget',
  'put /api/v1/projects/{projectId}/budget',
  'get /api/v1/conversations',
  'post /api/v1/conversations',
  'get /api/v1/conversations/{conversationId}',
  'patch /api/v1/conversations/{conversationId}',
  'delete /api/v1/conversations/{conversationId}',
  'get /api/v1/conversations/{conversationId}/messages',
  'post /api/v1/conversations/{conversationId}/messages',
  'post /api/v1/conversations/{conversationId}/messages/stream',
  // Issue 5: resuming an answer stream on any instance.
  'get /api/v1/conversations/{conversationId}/stream',
  'post /api/v1/conversations/{conversationId}/stop',
  'delete /api/v1/messages/{messageId}',
  'get /api/v1/messages/search',
  'get /api/v1/models',
];

/** Operations whose success is not JSON, with the media type they document. */
const NOT_JSON: Record<string, string> = {
  'post /api/v1/conversations/{conversationId}/messages/stream': 'text/event-stream',
  'get /api/v1/conversations/{conversationId}/stream': 'text/event-stream',
};

const ANONYMOUS = new Set([
  'post /api/v1/auth/register',
  'post /api/v1/auth/login',
  'post /api/v1/auth/refresh',
  'post /api/v1/auth/verify-email',
  'post /api/v1/auth/forgot-password',
  'post /api/v1/auth/reset-password',
]);

function apiOperations(doc: OpenApiDocument): [string, Operation][] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]): [string, Operation] => [
        `${method} ${path}`,
        operation,
      ]),
    );
}

describe('GET /swagger/json', () => {
  test('is OpenAPI 3.1 with the bearer scheme as the default security', async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('Zekka API');
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  test('has exactly the contract routes under /api/v1', async () => {
    expect(
      apiOperations(await document())
        .map(([name]) => name)
        .sort(),
    ).toEqual([...CONTRACT].sort());
  });

  test('every /api/v1 operation has a summary, a description, tags and response schemas', async () => {
    for (const [name, operation] of apiOperations(await document())) {
      const where = `${name}: `;
      expect(`${where}${operation.summary ?? ''}`.length).toBeGreaterThan(where.length);
      expect(`${where}${operation.description ?? ''}`.length).toBeGreaterThan(where.length);
      expect({ name, tags: operation.tags?.length ?? 0 }).not.toEqual({ name, tags: 0 });
      const responses = Object.entries(operation.responses ?? {});
      const success = responses.filter(([status]) => status.startsWith('2'));
      expect({ name, success: success.length }).toEqual({ name, success: 1 });
      for (const [status, response] of responses) {
        expect({ name, status, description: typeof response.description }).toEqual({
          name,
          status,
          description: 'string',
        });
        if (status === '204') {
          expect({ name, status, content: response.content }).toEqual({ name, status, content: undefined });
          continue;
        }
        const mediaType = (status.startsWith('2') && NOT_JSON[name]) || 'application/json';
        expect({
          name,
          status,
          schema: response.content?.[mediaType]?.schema !== undefined,
        }).toEqual({
          name,
          status,
          schema: true,
        });
      }
      const errors = responses.filter(([status]) => status.startsWith('4'));
      expect({ name, errors: errors.length > 0 }).toEqual({ name, errors: true });
    }
  });

  test('anonymous routes opt out of the bearer scheme; the others keep it', async () => {
    for (const [name, operation] of apiOperations(await document())) {
      expect({ name, anonymous: operation.security?.length === 0 }).toEqual({
        name,
        anonymous: ANONYMOUS.has(name),
      });
    }
  });

  test('the create routes document Idempotency-Key', async () => {
    const doc = (await send(app, 'GET', '/swagger/json')).text;
    expect(doc).toContain('idempotency-key');
  });

  test('Swagger UI itself is not in the document', async () => {
    const paths = Object.keys((await document()).paths);
    expect(paths.filter((path) => path.startsWith('/swagger'))).toEqual([]);
  });
});

describe('GET /swagger', () => {
  test('is an HTML page that references only this server', async () => {
    const res = await send(app, 'GET', '/swagger');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<div id="swagger-ui">');
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.text).not.toMatch(/(src|href)="\/\//);
    expect(res.text).not.toMatch(/<script>[^<]/); // no inline script: the CSP forbids it
  });

  test('every script, stylesheet and icon it references is served', async () => {
    const page = (await send(app, 'GET', '/swagger')).text;
    const references = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(references.length).toBeGreaterThanOrEqual(4);
    for (const reference of references) {
      expect(reference.startsWith('/swagger/')).toBe(true);
      const res = await app.handle(new Request(`http://zekka.test${reference}`));
      expect({ reference, status: res.status }).toEqual({ reference, status: 200 });
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  test('the bundle and stylesheet come from swagger-ui-dist with their content types', async () => {
    const js = await app.handle(new Request('http://zekka.test/swagger/assets/swagger-ui-bundle.js'));
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('SwaggerUIBundle');
    const css = await app.handle(new Request('http://zekka.test/swagger/assets/swagger-ui.css'));
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  test('the page script loads the local document and never calls the online validator', async () => {
    const script = (await send(app, 'GET', '/swagger/assets/init.js')).text;
    expect(script).toContain('"/swagger/json"');
    expect(script).toContain('validatorUrl: null');
    expect(script).not.toMatch(/https?:\/\//);
  });

  test('nothing else in the package folder is reachable', async () => {
    for (const path of [
      '/swagger/assets/package.json',
      '/swagger/assets/..%2Fpackage.json',
      '/swagger/assets/index.html',
    ]) {
      expect((await send(app, 'GET', path)).status).toBe(404);
    }
  });
});
