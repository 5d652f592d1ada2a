/**
 * @module logger
 * The server's structured logger, on pino: one JSON object per line (`info` and below on stdout, `warn` and
 * `error` on stderr, so a container runtime or a log shipper can parse it without configuration), or
 * human-readable lines in development when `pretty` is on. Fields that could carry secrets are redacted
 * wherever they appear, as a second line of defence behind "never log bodies or headers".
 */
import type { LogFields, Logger } from '@zekka/core';
import pino from 'pino';
import PinoPretty from 'pino-pretty';
import type { LogLevel } from './config.ts';

/** Field names that may hold a secret, at the top level or one level down. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'apiKey',
  'key',
  'jwtSecret',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((name) => [name, `*.${name}`]);

export interface LoggerOptions {
  /** Fields added to every entry (e.g. `{ service: 'zekka' }`). @default {} */
  base?: LogFields;
  /** Human-readable, coloured lines instead of JSON (development). @default false */
  pretty?: boolean;
}

/**
 * A logger that drops entries below `level`.
 * @param level - the least severe level written. @default 'info'
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const destination = options.pretty
    ? PinoPretty({ colorize: true, sync: true, destination: 1, ignore: 'pid,hostname' })
    : pino.multistream(
        [
          { level: 'debug', stream: pino.destination({ dest: 1, sync: true }) },
          { level: 'warn', stream: pino.destination({ dest: 2, sync: true }) },
        ],
        // Each entry goes to the one stream with the highest level it reaches: warnings only to stderr.
        { dedupe: true },
      );
  const log = pino(
    {
      level,
      base: options.base ?? {},
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { error: (value: unknown) => (value instanceof Error ? describeError(value) : value) },
    },
    destination,
  );
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

/** A plain object for logs: name, message, stack and the cause chain (depth-limited). */
export function describeError(error: Error, depth = 0): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  if ('code' in error && typeof error.code === 'string') described.code = error.code;
  if (error.cause !== undefined && depth < 5) {
    described.cause =
      error.cause instanceof Error ? describeError(error.cause, depth + 1) : String(error.cause);
  }
  return described;
}
