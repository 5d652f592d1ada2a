/**
 * @module validation-details
 * Turns TypeBox's value errors into the contract's `details: [{ path, message }]`. Messages name what was
 * expected and never echo the value sent: it may be a password.
 */
import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { ErrorDetail } from '@zekka/core';

/** The part of a TypeBox `ValueError` this module reads. */
export interface SchemaIssue {
  type: number;
  path: string;
  message: string;
  schema: TSchema;
}

/** At most this many details per response: enough to fix a form, not a way to make large responses. */
const MAX_DETAILS = 20;

/**
 * One detail per offending path (the first issue found for a path wins). Paths are JSON pointers into the
 * part of the request that failed (`/email`); the envelope's message says which part that was.
 */
export function validationDetails(issues: Iterable<SchemaIssue>): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    if (seen.has(issue.path)) continue;
    seen.add(issue.path);
    details.push({ path: issue.path, message: describeIssue(issue) });
    if (details.length === MAX_DETAILS) break;
  }
  return details;
}

function describeIssue(issue: SchemaIssue): string {
  const { schema } = issue;
  switch (issue.type) {
    case ValueErrorType.Union: {
      const allowed = literalValues(schema);
      if (allowed !== null) return `Expected one of: ${allowed.join(', ')}`;
      return 'Expected a value of one of the allowed types';
    }
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      // The raw pattern is noise to a client; the schema's description says what is meant ("A UUIDv7").
      return typeof schema.description === 'string'
        ? `Expected ${lowerFirst(schema.description)}`
        : issue.message;
    case ValueErrorType.ObjectRequiredProperty:
      return 'Required';
    default:
      return issue.message;
  }
}

/** For a union of literals (`'active' | 'archived'`), the allowed values; otherwise `null`. */
function literalValues(schema: TSchema): string[] | null {
  const members: unknown = schema.anyOf;
  if (!Array.isArray(members)) return null;
  const values: string[] = [];
  for (const member of members) {
    if (typeof member !== 'object' || member === null || !('const' in member)) {
      if (isNullSchema(member)) {
        values.push('null');
        continue;
      }
      return null;
    }
    values.push(String(member.const));
  }
  return values;
}

function isNullSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && 'type' in schema && schema.type === 'null';
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1]?.toLowerCase()
    ? text[0]?.toLowerCase() + text.slice(1)
    : text;
}
