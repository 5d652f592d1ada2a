/**
 * @module console-logger
 * The default `Logger`: one JSON line per entry on stdout/stderr. The server replaces it with its own.
 */
import type { LogFields, Logger } from '../ports/services.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createConsoleLogger(level: LogLevel = 'info', base: LogFields = {}): Logger {
  const min = LEVELS[level];
  const write = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (LEVELS[lvl] < min) return;
    const line = JSON.stringify({
      level: lvl,
      time: new Date().toISOString(),
      msg: message,
      ...base,
      ...fields,
    });
    if (lvl === 'error' || lvl === 'warn') console.error(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything (tests, quiet embedding). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
