/**
 * @module env-values
 * Readers for typed environment values. Each one reports a bad value as one line in `problems` and returns
 * the fallback, so `loadConfig` can collect every problem before it gives up.
 */

/** Reads a variable; an empty or blank value reads as unset. */
export type EnvReader = (name: string) => string | undefined;

/** A whole number in `[min, max]` written in plain digits, or `fallback` when unset. */
export function readInteger(
  read: EnvReader,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name}: must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

/** `true`/`1` or `false`/`0`, or `fallback` when unset. */
export function readBoolean(read: EnvReader, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = read(name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name}: must be true, false, 1 or 0 (got "${raw}")`);
  return fallback;
}
