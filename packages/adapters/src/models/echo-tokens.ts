/**
 * @module models/echo-tokens
 * The echo model's tokenizer: a word (letters, digits, `_`) or a single other visible character, each with
 * the whitespace before it, and trailing whitespace as one last token. Concatenating the tokens gives back
 * the text exactly, so the streamed deltas add up to the stored answer and the counts are honest for what
 * was sent and produced.
 *
 * Counting runs on every message of every context the echo model is given, so ASCII text (nearly all of
 * it) is counted by a scan over char codes; anything else falls back to the Unicode-aware expression. The
 * two agree by construction, and a test checks it on random text.
 */
const TOKEN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+$/gu;

export function echoTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countEchoTokens(text: string): number {
  const ascii = countAsciiTokens(text);
  return ascii >= 0 ? ascii : countWithExpression(text);
}

function countWithExpression(text: string): number {
  let count = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(text) !== null) count++;
  return count;
}

const WORD = 1;
const SPACE = 2;
const OTHER = 3;
/** The class of each ASCII code: `\s` is tab, line feed, vertical tab, form feed, carriage return, space. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) => {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return SPACE;
  const c = String.fromCharCode(code);
  return /[A-Za-z0-9_]/.test(c) ? WORD : OTHER;
});

/** The token count of an all-ASCII `text`, or -1 when it holds any other character. */
function countAsciiTokens(text: string): number {
  let count = 0;
  let previous = SPACE;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return -1;
    const kind = ASCII_CLASS[code] as number;
    // A word token starts at the first word character after anything else; every other visible
    // character is a token of its own; whitespace joins the token after it.
    if (kind === OTHER || (kind === WORD && previous !== WORD)) count++;
    previous = kind;
  }
  // Whitespace at the very end has no token after it to join: it is one token of its own.
  return previous === SPACE && text.length > 0 ? count + 1 : count;
}
