import { expect, test } from 'bun:test';
import {
  type History,
  HistoryCache,
  type HistoryMessage,
  historyCovers,
  makeHistory,
} from './history-cache.ts';

let n = 0;
const message = (content: string, tokens = content.length): HistoryMessage => ({
  id: `m${n++}`,
  role: 'user',
  status: 'complete',
  content,
  tokens,
  turn: { role: 'user', content },
});
const history = (messages: HistoryMessage[], exhaustive = true): History => makeHistory(messages, exhaustive);
const stamp = (messageCount: number, lastMessageAt: number | null = messageCount) => ({
  messageCount,
  lastMessageAt,
});

test('an entry answers only for the state it was remembered for, and is dropped otherwise', () => {
  const cache = new HistoryCache({ messagesPerConversation: 10, totalChars: 1000 });
  cache.set('c', stamp(2), history([message('b'), message('a')]));
  expect(cache.get('c', stamp(2))?.messages.map((m) => m.content)).toEqual(['b', 'a']);
  expect(cache.get('c', stamp(3))).toBeUndefined();
  expect(cache.get('c', stamp(2))).toBeUndefined();
  cache.set('c', stamp(2, 5), history([]));
  expect(cache.get('c', stamp(2, 6))).toBeUndefined();
});

test('newer messages go in front; past the limit the oldest go and the rest is exhaustive', () => {
  const cache = new HistoryCache({ messagesPerConversation: 3, totalChars: 1000 });
  cache.set('c', stamp(2), history([message('b'), message('a')], false));
  const before = cache.get('c', stamp(2)) as History;
  expect(before.exhaustive).toBe(false);
  cache.set('c', stamp(4), before, [message('d'), message('c')]);
  const after = cache.get('c', stamp(4)) as History;
  expect(after.messages.map((m) => m.content)).toEqual(['d', 'c', 'b']);
  expect(after.exhaustive).toBe(true);
  expect(after.tokens).toBe(3);
});

test('a partial history covers budgets up to its tokens; an exhaustive one any budget', () => {
  const partial = history([message('xxxx'), message('yyyy')], false);
  expect(historyCovers(partial, 8)).toBe(true);
  expect(historyCovers(partial, 9)).toBe(false);
  expect(historyCovers(history([message('x')], true), 1_000_000)).toBe(true);
});

test('the least recently used conversations go when the characters exceed the limit', () => {
  const cache = new HistoryCache({ messagesPerConversation: 10, totalChars: 10 });
  cache.set('a', stamp(1), history([message('aaaa')]));
  cache.set('b', stamp(1), history([message('bbbb')]));
  expect(cache.get('a', stamp(1))).toBeDefined(); // a is now the most recently used
  cache.set('c', stamp(1), history([message('cccc')]));
  expect(cache.get('b', stamp(1))).toBeUndefined();
  expect(cache.get('a', stamp(1))).toBeDefined();
  expect(cache.get('c', stamp(1))).toBeDefined();
  // One conversation larger than the whole limit is not remembered at all.
  cache.set('d', stamp(1), history([message('d'.repeat(11))]));
  expect(cache.get('d', stamp(1))).toBeUndefined();
  expect(cache.size).toBe(2);
  cache.forget('a');
  expect(cache.size).toBe(1);
});

test('moving on by sends keeps the counts and the usable turns of a history counted afresh', () => {
  const cache = new HistoryCache({ messagesPerConversation: 7, totalChars: 10_000 });
  const statuses = ['complete', 'failed', 'stopped', 'streaming'] as const;
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const any = (): HistoryMessage => {
    const content = random(5) === 0 ? '' : 'w'.repeat(1 + random(6));
    const role = (['user', 'assistant', 'system'] as const)[random(3)] as HistoryMessage['role'];
    return {
      id: `r${n++}`,
      role,
      status: statuses[random(4)] as HistoryMessage['status'],
      content,
      tokens: 1 + random(9),
      turn: role === 'system' ? null : { role, content },
    };
  };
  cache.set('c', stamp(0), history([], false));
  for (let count = 0; count < 40; count++) {
    const past = cache.get('c', stamp(count)) as History;
    const newer = Array.from({ length: random(3) }, any);
    cache.set('c', stamp(count + 1), past, newer);
    const now = cache.get('c', stamp(count + 1)) as History;
    expect(now).toEqual({ ...makeHistory(now.messages, now.exhaustive), stamp: stamp(count + 1) } as History);
  }
});
