/**
 * @module models/echo-tokens
 * The echo model's tokenizer: a word (letters, digits, `_`) or a single other visible character, each with
 * the whitespace before it, and trailing whitespace as one last token. Concatenating the tokens gives back
 * the text exactly, so the streamed deltas add up to the stored answer and the counts are honest for what
 * was sent and produced.
 */
const TOKEN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+$/gu;

export function echoTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countEchoTokens(text: string): number {
  let count = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(text) !== null) count++;
  return count;
}
