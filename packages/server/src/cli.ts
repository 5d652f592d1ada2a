#!/usr/bin/env bun
/**
 * @module cli
 * The `zekka` command: `serve`, `migrate`, `user create`. A failure prints one clear line (a bad
 * configuration, one line per problem) on stderr and exits non-zero; no stack traces for expected errors.
 */
import { isZekkaError } from '@zekka/core';
import { PasswordInputError } from './cli/read-password.ts';
import { runUserCreate, USER_CREATE_USAGE, UsageError } from './cli/user-create.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateDatabase } from './open-store.ts';
import { startServer } from './serve.ts';

const USAGE = ['Usage:', '  zekka serve', '  zekka migrate', `  ${USER_CREATE_USAGE}`].join('\n');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await startServer(loadConfig());
      return -1; // keeps running; the signal handlers exit
    case 'migrate':
      console.log(await migrateDatabase(loadConfig()));
      return 0;
    case 'user':
      if (rest[0] !== 'create') throw new UsageError(`unknown command "user ${rest[0] ?? ''}"`.trim());
      console.log(await runUserCreate(rest.slice(1)));
      return 0;
    case undefined:
      console.error(USAGE);
      return 1;
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** One line for the user; the stack only for errors nobody anticipated. */
function describeFailure(error: unknown): string[] {
  if (error instanceof ConfigError)
    return ['Invalid configuration:', ...error.problems.map((line) => `  ${line}`)];
  if (error instanceof UsageError) return [`zekka: ${error.message} (see "zekka help")`];
  if (error instanceof PasswordInputError) return [`zekka: ${error.message}`];
  if (isZekkaError(error)) {
    const details = error.details?.map((detail) => detail.message).join('; ');
    // "The database is unavailable" alone does not tell an operator what to fix; the driver's reason does
    // ("connect ECONNREFUSED 10.0.0.5:5432", "password authentication failed for user …").
    const reason = error.code === 'UNAVAILABLE' ? rootCauseMessage(error) : undefined;
    return [`zekka: ${error.message}${details ? `: ${details}` : ''}${reason ? ` (${reason})` : ''}`];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [`zekka: ${message}`];
}

/** The message of the deepest cause with one (a refused connect is an `AggregateError` of one per address). */
function rootCauseMessage(error: Error): string | undefined {
  let found: string | undefined;
  let current: unknown = error.cause;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const inner: unknown = current instanceof AggregateError ? current.errors[0] : undefined;
    if (current.message !== '') found = current.message;
    current = current.cause ?? inner;
  }
  return found;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    for (const line of describeFailure(error)) console.error(line);
    process.exit(1);
  },
);
