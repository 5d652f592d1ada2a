/**
 * @module config
 * The options core needs, with their defaults. The server builds this from the environment; an embedding
 * host passes it directly.
 */

export interface AuthConfig {
  /** HMAC key for access tokens (HS256); at least 32 bytes in production. */
  jwtSecret: string;
  /** @default 'zekka' */
  issuer?: string;
  /** @default 'zekka-api' */
  audience?: string;
  /** @default 900 (15 minutes) */
  accessTokenTtlSeconds?: number;
  /** @default 30 */
  refreshTokenTtlDays?: number;
  /** When true, login is refused until the e-mail is verified. @default false */
  requireEmailVerification?: boolean;
  /** Failed logins in a row that lock an account. @default 5 */
  maxFailedLogins?: number;
  /** @default 15 */
  lockoutMinutes?: number;
  /** @default 24 */
  emailVerificationTtlHours?: number;
  /** @default 60 */
  passwordResetTtlMinutes?: number;
}

export interface ZekkaConfig {
  auth: AuthConfig;
  /** Base URL used in links sent by e-mail (verification, reset). @default 'http://localhost:3000' */
  publicUrl?: string;
}

export type ResolvedAuthConfig = Required<AuthConfig>;

export function resolveAuthConfig(config: AuthConfig): ResolvedAuthConfig {
  return {
    issuer: 'zekka',
    audience: 'zekka-api',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlDays: 30,
    requireEmailVerification: false,
    maxFailedLogins: 5,
    lockoutMinutes: 15,
    emailVerificationTtlHours: 24,
    passwordResetTtlMinutes: 60,
    ...stripUndefined(config),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
