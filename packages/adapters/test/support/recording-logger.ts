/** A `Logger` that keeps what it is told, for tests that check what was logged (and how often). */
import type { LogFields, Logger } from '@zekka/core';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields | undefined;
}

export interface RecordingLogger extends Logger {
  entries: LogEntry[];
  /** The messages logged at `level`. */
  messages(level: LogEntry['level']): string[];
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields });
  };
  return {
    entries,
    messages: (level) => entries.filter((e) => e.level === level).map((e) => e.message),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
