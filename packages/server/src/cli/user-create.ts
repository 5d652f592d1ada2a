/**
 * @module cli/user-create
 * `zekka user create --email E --name N [--admin]`: creates an account directly (the first admin of a
 * fresh install, typically). The password policy applies as for sign-up; the password is read by
 * `readPassword`, never from an argument.
 */
import { parseArgs } from 'node:util';
import { systemActor } from '@zekka/core';
import { buildZekka } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { readPassword } from './read-password.ts';

/** A mistake in how the command was called; the CLI prints it with the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USER_CREATE_USAGE =
  'zekka user create --email <email> --name <name> [--admin]   (password on stdin)';

export interface UserCreateArgs {
  email: string;
  name: string;
  admin: boolean;
}

/** Parses the arguments after `user create`; refuses `--password` outright. */
export function parseUserCreateArgs(args: string[]): UserCreateArgs {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      '--password is not accepted: arguments are visible to other users and kept in shell history. ' +
        'Pipe the password on stdin or type it at the prompt',
    );
  }
  let values: { email?: string; name?: string; admin?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.email === undefined || values.name === undefined)
    throw new UsageError('--email and --name are required');
  return { email: values.email, name: values.name, admin: values.admin ?? false };
}

/** Runs the command; resolves to the line to print. */
export async function runUserCreate(args: string[]): Promise<string> {
  const parsed = parseUserCreateArgs(args);
  const config = loadConfig();
  const password = await readPassword();
  // Only warnings and errors: the command's own output is the one line it prints.
  const zekka = await buildZekka(config, { logger: createLogger('warn') });
  try {
    const user = await zekka.users.create(systemActor('cli'), {
      email: parsed.email,
      name: parsed.name,
      password,
      role: parsed.admin ? 'admin' : 'user',
    });
    return `Created ${user.role} ${user.email} (${user.id})`;
  } finally {
    await zekka.close();
  }
}
