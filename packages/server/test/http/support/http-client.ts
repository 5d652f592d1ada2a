/**
 * @module http-client
 * A small client for the acceptance suite: it builds requests against an in-process app
 * (`app.handle(new Request(...))`), sets JSON headers and bearer tokens, and parses the envelope.
 */

/** Anything that answers a `Request` in process, such as an Elysia app. */
export interface RequestHandler {
  handle(request: Request): Promise<Response>;
}

export interface Pagination {
  limit: number;
  offset: number;
  total: number;
  hasMore: boolean;
}

export interface ErrorPayload {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}

export interface RequestOptions {
  /** Serialised as JSON unless it is a string (sent as is, for malformed-body tests). */
  body?: unknown;
  /** Bearer credential: an access token or an API key. */
  token?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** The raw body text (empty for 204). */
  text: string;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  json: unknown;
  /** `json.data`, typed by the caller; check `status` first. */
  data: T;
  pagination: Pagination | undefined;
  error: ErrorPayload | undefined;
  requestId: string | undefined;
}

export const BASE_URL = 'http://zekka.test';
export const API = '/api/v1';

export class HttpClient {
  readonly #app: RequestHandler;
  readonly #defaultHeaders: Record<string, string>;

  constructor(app: RequestHandler, defaultHeaders: Record<string, string> = {}) {
    this.#app = app;
    this.#defaultHeaders = defaultHeaders;
  }

  /** A client that sends `headers` with every request (e.g. a fixed `X-Forwarded-For`). */
  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient(this.#app, { ...this.#defaultHeaders, ...headers });
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  put<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('PUT', path, options);
  }
  patch<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('PATCH', path, options);
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  /** Sends a request; `path` is relative to `/api/v1` unless it starts with `//` (then to the root). */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const response = await this.#app.handle(buildRequest(method, path, options, this.#defaultHeaders));
    return parseResponse<T>(response);
  }
}

function buildRequest(
  method: string,
  path: string,
  options: RequestOptions,
  defaultHeaders: Record<string, string>,
): Request {
  const url = new URL(path.startsWith('//') ? path.slice(1) : `${API}${path}`, BASE_URL);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
  const headers = new Headers({ accept: 'application/json', ...defaultHeaders });
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, value);
  return new Request(url, { method, headers, body });
}

async function parseResponse<T>(response: Response): Promise<ApiResponse<T>> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const envelope = isRecord(json) ? json : {};
  return {
    status: response.status,
    headers: response.headers,
    text,
    json,
    // The caller names the payload type; the tests then assert the shape they rely on.
    data: envelope.data as T,
    pagination: envelope.pagination as Pagination | undefined,
    error: envelope.error as ErrorPayload | undefined,
    requestId: typeof envelope.requestId === 'string' ? envelope.requestId : undefined,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
