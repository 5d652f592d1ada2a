/**
 * @module plugins/cors
 * CORS with an explicit allow-list. `@elysiajs/cors` reflects any origin by default and allows
 * credentials; here only the configured origins are answered, credentials are off (the API uses bearer
 * tokens, not cookies), and the allowed and exposed headers are named.
 */
import { cors } from '@elysiajs/cors';
import { Elysia } from 'elysia';

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `['*']` for any origin. Empty: no cross-origin access. */
  origins: readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. @default 600 */
  maxAgeSeconds?: number;
}

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'];
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Idempotency-Replayed'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The CORS plugin; with no origins it adds nothing, so a browser on another origin gets no
 * `Access-Control-Allow-Origin` and same-origin requests pay nothing for CORS.
 */
export function corsPlugin(options: CorsOptions) {
  const plugin = new Elysia({ name: 'zekka/cors', seed: options.origins.join(',') });
  if (options.origins.length === 0) return plugin;
  const anyOrigin = options.origins.includes('*');
  const allowed = new Set(options.origins);
  return plugin.use(
    cors({
      // A predicate rather than the list: the plugin's string matching also accepts an origin whose
      // scheme differs; this compares the whole `Origin` header exactly.
      origin: anyOrigin ? '*' : (request) => allowed.has(request.headers.get('origin') ?? ''),
      methods: METHODS,
      allowedHeaders: ALLOWED_HEADERS,
      exposeHeaders: EXPOSED_HEADERS,
      credentials: false,
      maxAge: options.maxAgeSeconds ?? 600,
    }),
  );
}
