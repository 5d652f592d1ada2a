/**
 * @module services
 * Small ports for what core must not do itself: hashing passwords, sending mail, reading the clock,
 * making ids, and logging.
 */

/** Slow, salted password hashing (argon2id in the default adapter). Both methods are async by contract. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time with respect to the password; `false` (never a throw) for a malformed hash. */
  verify(password: string, hash: string): Promise<boolean>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The action link the message carries (verify, reset), for mailers that render buttons. */
  link?: string;
}

/** Sends e-mail. The default implementation logs the message and its link. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number;
}

export interface Ids {
  /** A new UUIDv7: time-ordered, unique. */
  uuid(): string;
  /** `bytes` cryptographically random bytes, base64url-encoded. */
  token(bytes?: number): string;
}

export type LogFields = Record<string, unknown>;

/** A structured logger. Never pass secrets (passwords, tokens, keys) in `fields`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
