/**
 * @module plugins/security-headers
 * Headers that make a browser treat API answers defensively. They are set once as the app's default
 * headers (no per-request work), so they are on every response, errors and `/swagger` included. The CSP
 * allows exactly what the self-hosted Swagger UI needs: its own scripts and styles (it sets inline style
 * attributes), inline SVG images, and requests back to this origin.
 */
import { Elysia } from 'elysia';

export interface SecurityHeadersOptions {
  /** Adds `Strict-Transport-Security`; only meaningful behind HTTPS, which production is. @default false */
  hsts?: boolean;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers, as a plain object (also what the tests check against). */
export function securityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cross-origin-opener-policy': 'same-origin',
  };
  if (options.hsts === true) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  return headers;
}

/** The plugin; Bun and Elysia send no `X-Powered-By`, so there is nothing to remove. */
export function securityHeadersPlugin(options: SecurityHeadersOptions = {}) {
  return new Elysia({ name: 'zekka/security-headers', seed: options }).headers(securityHeaders(options));
}
