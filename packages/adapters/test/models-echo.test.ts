import { describe, expect, test } from 'bun:test';
import type { ChatTurn, ModelRequest } from '@zekka/core';
import { countEchoTokens, createModelRegistry, echoAnswer, echoTokens } from '../src/models/index.ts';
import { collectModelStream, handleOf } from './support/collect-model-stream.ts';

const request: ModelRequest = {
  system: 'Answer in one line.',
  messages: [
    { role: 'user', content: 'First question?' },
    { role: 'assistant', content: 'First answer.' },
    { role: 'user', content: 'Tell me, please: what is 6 × 7?' },
  ],
};
const inputTokens =
  countEchoTokens('Answer in one line.') +
  countEchoTokens('First question?') +
  countEchoTokens('First answer.') +
  countEchoTokens('Tell me, please: what is 6 × 7?');

function echo(tokenDelayMs = 0) {
  return handleOf(createModelRegistry({ echo: { tokenDelayMs } }), 'echo');
}

describe('the echo model', () => {
  test('answers deterministically; the deltas add up to the answer and the counts are its own tokens', async () => {
    const first = await collectModelStream(echo().stream(request));
    const second = await collectModelStream(echo().stream(request));
    expect(first.text).toBe('Echo: Tell me, please: what is 6 × 7?');
    expect(first.text).toBe(echoAnswer(request));
    expect(first.deltas).toEqual(echoTokens(first.text));
    expect(second.deltas).toEqual(first.deltas);
    expect(first.finish).toEqual({
      type: 'finish',
      reason: 'stop',
      model: 'echo',
      usage: {
        inputTokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: countEchoTokens(first.text),
        reasoningTokens: 0,
      },
    });
  });

  test('stopped mid-way, it counts only the tokens it produced', async () => {
    const controller = new AbortController();
    const result = await collectModelStream(
      echo(5).stream({ ...request, signal: controller.signal }),
      (count) => {
        if (count === 4) controller.abort();
      },
    );
    expect(result.deltas).toEqual(echoTokens(echoAnswer(request)).slice(0, 4));
    expect(result.finish?.reason).toBe('aborted');
    expect(result.finish?.usage).toMatchObject({ inputTokens, outputTokens: 4 });
  });

  test('maxOutputTokens cuts the answer and finishes with length', async () => {
    const result = await collectModelStream(echo().stream({ ...request, maxOutputTokens: 3 }));
    expect(result.deltas).toEqual(['Echo', ':', ' Tell']);
    expect(result.finish).toMatchObject({ reason: 'length', usage: { outputTokens: 3 } });
  });

  test('whitespace is kept: any text splits into tokens that join back to it exactly', () => {
    for (const text of [
      '',
      '  ',
      'Echo: trailing  ',
      'two\n\nlines\n',
      '日本語 テスト 👍🏽 ok?',
      'a_b-c.d',
    ]) {
      expect(echoTokens(text).join('')).toBe(text);
      expect(countEchoTokens(text)).toBe(echoTokens(text).length);
    }
  });

  test('is the default and the token counter when nothing else is configured', () => {
    const registry = createModelRegistry();
    expect(registry.defaultModel).toBe('echo');
    expect(registry.list().map((info) => info.id)).toEqual(['echo']);
    expect(registry.countTokens('Hello, world!')).toBe(countEchoTokens('Hello, world!'));
    expect(registry.countTokens('Hello, world!')).toBe(4);
  });

  test('counting gives the number of tokens, for ASCII and any other text', () => {
    // ASCII is counted by a scan of its own; the rest by the expression that also splits the deltas.
    const alphabet = [
      'a',
      'Z',
      '7',
      '_',
      ' ',
      '\t',
      '\n',
      '\v',
      '\f',
      '\r',
      '.',
      '-',
      '!',
      '\u0000',
      '\u007f',
    ];
    const unicode = ['é', 'ß', '٣', '\u00a0', '\u2028', '\ufeff', '漢', '😀', '×'];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const pool = round % 4 === 0 ? [...alphabet, ...unicode] : alphabet;
      let text = '';
      for (let i = next(24); i > 0; i--) text += pool[next(pool.length)];
      expect(countEchoTokens(text)).toBe(echoTokens(text).length);
    }
    for (const text of ['', ' ', 'a', 'a ', ' a', 'a.b', 'a  .', '  \n', 'Hello, world!', 'x\u00a0']) {
      expect(countEchoTokens(text)).toBe(echoTokens(text).length);
    }
  });

  test('a turn sent again is counted as it is now, even when the same object was changed', async () => {
    const turn: ChatTurn = { role: 'user', content: 'one two' };
    const first = await collectModelStream(echo().stream({ messages: [turn] }));
    turn.content = 'one two three four';
    const second = await collectModelStream(echo().stream({ messages: [turn] }));
    expect(first.finish?.usage.inputTokens).toBe(2);
    expect(second.finish?.usage.inputTokens).toBe(4);
  });
});
