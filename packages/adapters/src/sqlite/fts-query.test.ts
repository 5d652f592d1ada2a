import { Database } from 'bun:sqlite';
import { describe, expect, test } from 'bun:test';
import { toFtsQuery } from './fts-query.ts';

describe('toFtsQuery', () => {
  test('quotes every word and doubles the quotes inside it', () => {
    expect(toFtsQuery('say "hi" OR *')).toBe('"say" """hi""" "OR"');
    expect(toFtsQuery('  two\twords\n')).toBe('"two" "words"');
  });

  test('is null when no word has a letter or digit', () => {
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('* " ( ) -')).toBeNull();
  });

  // The property that matters: no input breaks the MATCH syntax.
  test('whatever the input, FTS5 accepts the query', () => {
    const db = new Database(':memory:');
    db.run("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')");
    db.run('INSERT INTO t (body) VALUES (\'a OR b near (c) NOT d: "quoted" e-mail *\')');
    const match = db.query('SELECT count(*) AS n FROM t WHERE t MATCH ?');
    const hostile = [
      '"unbalanced',
      'a OR',
      'OR',
      'NOT',
      'NEAR(a b)',
      '(c',
      'body:a',
      '^a',
      'a*',
      '-d',
      'e-mail',
    ];
    for (const input of hostile) {
      const query = toFtsQuery(input);
      expect(query).not.toBeNull();
      expect(() => match.get(query)).not.toThrow();
    }
    expect(match.get(toFtsQuery('a OR'))).toEqual({ n: 1 });
    expect(match.get(toFtsQuery('quoted e-mail'))).toEqual({ n: 1 });
    db.close();
  });
});
