/**
 * @module jwt-secret
 * Where the access-token signing key comes from. Production must be given one (≥ 32 bytes); a development
 * install generates one on first start and keeps it in the data folder, so tokens survive restarts and a
 * fresh checkout works without setup.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** HS256 keys shorter than the hash output weaken the signature. */
export const MIN_JWT_SECRET_BYTES = 32;

/** Below this, core refuses the secret outright, in any environment. */
const ABSOLUTE_MIN_JWT_SECRET_LENGTH = 16;

export const JWT_SECRET_FILE = 'jwt-secret';

export interface JwtSecretInput {
  /** `JWT_SECRET` as given, or undefined when unset. */
  value: string | undefined;
  production: boolean;
  dataDir: string;
  /** False when other settings are invalid: then nothing is written to disk. */
  mayGenerate: boolean;
}

export interface JwtSecretResult {
  secret: string;
  problem?: string;
  warning?: string;
}

/** Resolves the JWT secret; never throws for a bad value, it reports `problem` instead. */
export function resolveJwtSecret(input: JwtSecretInput): JwtSecretResult {
  const { value, production, dataDir } = input;
  if (value !== undefined) {
    if (Buffer.byteLength(value, 'utf8') >= MIN_JWT_SECRET_BYTES) return { secret: value };
    if (production) {
      return {
        secret: '',
        problem: `JWT_SECRET: must be at least ${MIN_JWT_SECRET_BYTES} bytes in production`,
      };
    }
    if (value.length < ABSOLUTE_MIN_JWT_SECRET_LENGTH) {
      return {
        secret: '',
        problem: `JWT_SECRET: must be at least ${ABSOLUTE_MIN_JWT_SECRET_LENGTH} characters`,
      };
    }
    return {
      secret: value,
      warning: `JWT_SECRET is shorter than ${MIN_JWT_SECRET_BYTES} bytes; production would refuse it`,
    };
  }
  if (production) {
    return {
      secret: '',
      problem: `JWT_SECRET: required when NODE_ENV=production (at least ${MIN_JWT_SECRET_BYTES} bytes)`,
    };
  }
  if (!input.mayGenerate) return { secret: '' };
  try {
    return readOrCreateSecretFile(join(dataDir, JWT_SECRET_FILE));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      secret: '',
      problem: `JWT_SECRET: unset, and the generated secret could not be kept: ${reason}`,
    };
  }
}

function readOrCreateSecretFile(path: string): JwtSecretResult {
  const existing = readSecretFile(path);
  if (existing !== null) {
    if (Buffer.byteLength(existing, 'utf8') < MIN_JWT_SECRET_BYTES) {
      return {
        secret: '',
        problem: `JWT_SECRET: ${path} holds a secret shorter than ${MIN_JWT_SECRET_BYTES} bytes`,
      };
    }
    return { secret: existing, warning: `JWT_SECRET is unset; using the generated secret in ${path}` };
  }
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  try {
    // `wx` fails when another process created the file first; then theirs wins and both agree.
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    // The mode given to writeFileSync is masked by the umask; make sure nobody else can read it.
    chmodSync(path, 0o600);
  } catch (error) {
    const raced = readSecretFile(path);
    if (raced === null) throw error;
    return { secret: raced, warning: `JWT_SECRET is unset; using the generated secret in ${path}` };
  }
  return {
    secret,
    warning: `JWT_SECRET is unset; generated one and saved it in ${path}. Set JWT_SECRET in production`,
  };
}

function readSecretFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
