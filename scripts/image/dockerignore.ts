/**
 * @module dockerignore
 * `.dockerignore` matching as Docker does it (moby's patternmatcher), so the script copies exactly what a
 * build would: patterns are Go `filepath.Match` globs plus `**` (any number of folders, even none), a
 * leading `!` re-includes, the last pattern that matches wins, and a pattern that matches a parent folder
 * matches everything below it.
 */

export interface IgnoreRule {
  pattern: string;
  negated: boolean;
  regexp: RegExp;
}

/**
 * Parses `.dockerignore` text: one pattern per line, `#` comments, blank lines ignored, leading `/` dropped.
 * @example parseDockerignore('*\n!src\n**\/*.test.ts')
 */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negated = pattern.startsWith('!');
    if (negated) pattern = pattern.slice(1).trim();
    pattern = cleanPath(pattern);
    rules.push({ pattern, negated, regexp: globToRegExp(pattern) });
  }
  return rules;
}

/**
 * True when `path` (relative to the build context, `/`-separated) is left out of the context.
 * @example isIgnored(parseDockerignore('*\n!src'), 'src/a.ts') // false
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = cleanPath(path).split('/');
  const parents = parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    const matches = rule.regexp.test(parts.join('/')) || parents.some((parent) => rule.regexp.test(parent));
    if (matches) ignored = !rule.negated;
  }
  return ignored;
}

function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/^\/+/, '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The same translation moby's patternmatcher makes: `*` stays in one folder, `**` crosses folders. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? '';
    if (char === '*' && pattern[index + 1] === '*') {
      index++;
      if (pattern[index + 1] === '/') index++;
      source += index + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) throw new Error(`.dockerignore: unclosed "[" in ${pattern}`);
      source += `[${pattern
        .slice(index + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      index = end;
    } else if (char === '\\' && index + 1 < pattern.length) {
      index++;
      source += escapeRegExp(pattern[index] ?? '');
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
