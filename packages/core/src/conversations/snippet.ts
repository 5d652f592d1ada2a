/**
 * @module conversations/snippet
 * Search snippets are short. The stores cut them by words (SQLite's `snippet`, Postgres' `ts_headline`), so
 * a message of a few very long "words" (a pasted log line, a base64 blob) came back whole; this cuts any
 * snippet to `SNIPPET_MAX_CHARS` around its first highlighted match, keeping the `**` markers paired.
 */

/** The longest snippet a search hit carries, in UTF-16 code units, ellipses included. */
export const SNIPPET_MAX_CHARS = 240;

const MARK = '**';
const ELLIPSIS = '…';

/** `snippet` if it is short enough; otherwise a window of it around its first match. */
export function trimSnippet(snippet: string, max = SNIPPET_MAX_CHARS): string {
  if (snippet.length <= max) return snippet;
  const match = Math.max(snippet.indexOf(MARK), 0);
  // Room for an ellipsis at each end and a closing marker.
  const room = max - 2 * ELLIPSIS.length - MARK.length;
  let start = Math.max(0, Math.min(match - Math.floor(room / 4), snippet.length - room));
  let end = start + room;
  // Never cut a surrogate pair in half.
  if (isLowSurrogate(snippet.charCodeAt(start))) start += 1;
  if (isLowSurrogate(snippet.charCodeAt(end))) end -= 1;
  let window = snippet.slice(start, end);
  // A marker cut in half is dropped; a highlight left open is closed.
  if (start > 0 && window.startsWith('*') && !window.startsWith(MARK)) window = window.slice(1);
  if (end < snippet.length && window.endsWith('*') && !window.endsWith(MARK)) window = window.slice(0, -1);
  if (countMarks(window) % 2 === 1) window += MARK;
  return `${start > 0 ? ELLIPSIS : ''}${window}${end < snippet.length ? ELLIPSIS : ''}`;
}

function countMarks(text: string): number {
  let count = 0;
  for (let i = text.indexOf(MARK); i >= 0; i = text.indexOf(MARK, i + MARK.length)) count++;
  return count;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
