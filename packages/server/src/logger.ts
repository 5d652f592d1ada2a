/**
 * @module logger
 * The server's structured logger: one JSON object per line, `info` and below on stdout, `warn` and `error`
 * on stderr, so a container runtime or a log shipper can parse it without configuration.
 */
import type { LogFields, Logger } from '@zekka/core';
import type { LogLevel } from './config.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A JSON-lines logger that drops entries below `level`.
 * @param level - the least severe level written. @default 'info'
 * @param base - fields added to every entry (e.g. `{ service: 'zekka' }`). @default {}
 */
export function createJsonLogger(level: LogLevel = 'info', base: LogFields = {}): Logger {
  const min = RANK[level];
  const write = (entryLevel: LogLevel, message: string, fields?: LogFields): void => {
    if (RANK[entryLevel] < min) return;
    const entry = { level: entryLevel, time: new Date().toISOString(), msg: message, ...base, ...fields };
    const line = JSON.stringify(entry, replaceErrors);
    if (RANK[entryLevel] >= RANK.warn) process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Errors serialise to `{}` by default; keep what an operator needs, including the cause chain. */
function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? describeError(value) : value;
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
