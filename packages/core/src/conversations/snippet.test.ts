import { describe, expect, test } from 'bun:test';
import { SNIPPET_MAX_CHARS, trimSnippet } from './snippet.ts';

const marks = (text: string) => text.split('**').length - 1;

describe('trimSnippet', () => {
  test('a short snippet is kept as it is', () => {
    const snippet = '…the **needle** in the haystack…';
    expect(trimSnippet(snippet)).toBe(snippet);
  });

  test('a snippet of long words is cut around its first match, within the limit', () => {
    const snippet = `${'z'.repeat(5000)} **needle** ${'y'.repeat(5000)}`;
    const trimmed = trimSnippet(snippet);
    expect(trimmed.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS);
    expect(trimmed).toContain('**needle**');
    expect(trimmed.startsWith('…z')).toBe(true);
    expect(trimmed.endsWith('y…')).toBe(true);
  });

  test('a match at the very start or end stays in the window', () => {
    const atStart = trimSnippet(`**needle** ${'y'.repeat(1000)}`);
    expect(atStart.startsWith('**needle**')).toBe(true);
    expect(atStart.endsWith('…')).toBe(true);
    const atEnd = trimSnippet(`${'z'.repeat(1000)} **needle**`);
    expect(atEnd.endsWith('**needle**')).toBe(true);
    expect(atEnd.startsWith('…')).toBe(true);
  });

  test('markers stay paired, surrogate pairs whole, on random cuts', () => {
    for (let i = 0; i < 500; i++) {
      const parts: string[] = [];
      for (let j = 0; j < 40; j++) {
        const word =
          Math.random() < 0.3
            ? '😀'.repeat(1 + Math.floor(Math.random() * 40))
            : 'w'.repeat(1 + Math.floor(Math.random() * 60));
        parts.push(Math.random() < 0.1 ? `**${word}**` : word);
      }
      const trimmed = trimSnippet(parts.join(' '));
      expect(trimmed.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS);
      expect(marks(trimmed) % 2).toBe(0);
      expect(trimmed).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
