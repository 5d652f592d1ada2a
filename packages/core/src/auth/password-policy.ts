/**
 * @module password-policy
 * 12–128 characters, at least three of four character classes, and not one of the passwords every
 * credential-stuffing list starts with (which the class rule alone lets through).
 */
import { type ErrorDetail, ZekkaError } from '../errors.ts';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const DENY_LIST = new Set([
  'password1234',
  'password12345',
  'password123!',
  'password1234!',
  'passw0rd1234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'qwerty123456',
  'qwerty123456!',
  'qwertyuiop12',
  'qwertyuiop123',
  'welcome12345',
  'welcome123!!',
  'letmein12345',
  'iloveyou1234',
  'admin1234567',
  'administrator1',
  'changeme1234',
  'abc123456789',
  '123456789abc',
  'trustno1trustno1',
  'zekka1234567',
]);

/** The problems with `password`, empty when it meets the policy. */
export function passwordProblems(password: string, path = '/password'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    problems.push({ path, message: `Must be ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters long` });
  }
  const classes =
    Number(/[a-z]/.test(password)) +
    Number(/[A-Z]/.test(password)) +
    Number(/[0-9]/.test(password)) +
    Number(/[^A-Za-z0-9]/.test(password));
  if (classes < 3) {
    problems.push({
      path,
      message: 'Must mix at least three of: lower-case letters, upper-case letters, digits, symbols',
    });
  }
  if (DENY_LIST.has(password.toLowerCase())) {
    problems.push({ path, message: 'This password is too common; choose another' });
  }
  return problems;
}

export function assertPasswordPolicy(password: string, path?: string): void {
  const problems = passwordProblems(password, path);
  if (problems.length > 0) {
    throw new ZekkaError('VALIDATION_FAILED', 'The password does not meet the policy', { details: problems });
  }
}
