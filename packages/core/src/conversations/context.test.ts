import { expect, test } from 'bun:test';
import type { MessageRecord } from '../ports/records.ts';
import { buildContext } from './context.ts';
import { type HistoryMessage, makeHistory } from './history-cache.ts';

const words = (text: string) => (text === '' ? 0 : text.split(/\s+/).length);
let n = 0;
const message = (
  role: 'user' | 'assistant',
  content: string,
  status: MessageRecord['status'] = 'complete',
): HistoryMessage => ({
  id: String(n++),
  role,
  content,
  status,
  tokens: words(content),
  turn: { role, content },
});

/** The usable turns of `history` (newest first), as the history cache keeps them. */
const usable = (history: HistoryMessage[]) => makeHistory(history, true).usable;

test('keeps the newest messages that fit the token budget, oldest first, ending with the new one', () => {
  const history = [
    message('assistant', 'four words of answer'), // newest
    message('user', 'three word question'),
    message('assistant', 'an old answer that will not fit'),
  ];
  const turns = buildContext({
    system: 'be brief',
    history: usable(history),
    message: 'new question here',
    contextWindow: 20,
    reservedForOutput: 6,
    countTokens: words,
  });
  // Budget: 20 - 6 - 2 (system) - 3 (new) = 9 → 4 + 3 fit, the next 7 do not.
  expect(turns).toEqual([
    { role: 'user', content: 'three word question' },
    { role: 'assistant', content: 'four words of answer' },
    { role: 'user', content: 'new question here' },
  ]);
});

test('skips failed, empty and still-streaming answers but keeps stopped ones', () => {
  const turns = buildContext({
    system: null,
    history: usable([
      message('assistant', 'partial', 'stopped'),
      message('assistant', 'broken', 'failed'),
      message('assistant', '', 'complete'),
      message('assistant', 'writing', 'streaming'),
      message('user', 'hello'),
    ]),
    message: 'again',
    contextWindow: 1000,
    reservedForOutput: 10,
    countTokens: words,
  });
  expect(turns.map((t) => t.content)).toEqual(['hello', 'partial', 'again']);
});

test('with no room for history only the new message is sent', () => {
  const turns = buildContext({
    system: null,
    history: usable([message('user', 'earlier')]),
    message: 'now',
    contextWindow: 5,
    reservedForOutput: 4,
    countTokens: words,
  });
  expect(turns).toEqual([{ role: 'user', content: 'now' }]);
});
