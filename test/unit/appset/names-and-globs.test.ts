import { describe, expect, it } from 'vitest';
import { flattenParams } from '../../../shared/appset/flatten.js';
import {
  branchSlug,
  makeSlug,
  replaceFastTemplate,
  sanitizeName,
  slugify,
} from '../../../shared/appset/index.js';
import { gitPathspecMatch, goPathMatch } from '../../../shared/appset/path-match.js';

describe('names', () => {
  it.each([
    ['directory_2', 'directory-2'],
    ['-My.App-', 'my.app'],
    ['Ünïcode 🚀 name', 'n-code---name'],
    ['a'.repeat(300), 'a'.repeat(253)],
  ])('normalize %s', (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it('slugs cut at a dash within the limit', () => {
    expect(branchSlug('feature/a_very-long-branch-name-that-goes-on-and-on-past-fifty-chars')).toBe(
      'feature-a-very-long-branch-name-that-goes-on-and',
    );
    expect(makeSlug('x'.repeat(60), { maxLength: 50, smartTruncate: true })).toBe('x'.repeat(50));
    expect(slugify('Release 2.0 / Hotfix')).toBe('release-2-0-hotfix');
  });
});

describe('fasttemplate', () => {
  it.each([
    ['{{a}}-{{ b }}', 'A-B'],
    ['{{missing}} {{}} {{n}}', '{{missing}} {{}} {{n}}'],
    ['{{a\n}}', '{{a\n}}'],
    ['no tags', 'no tags'],
  ])('%j', (template, expected) => {
    expect(replaceFastTemplate(template, { a: 'A', b: 'B', n: 3 })).toBe(expected);
  });
});

describe('flatten', () => {
  it('dots nested keys and list indexes, prints values as Go does', () => {
    expect(flattenParams({ a: { b: 1000000, c: [true, null] }, d: {}, e: 1.5 })).toEqual({
      'a.b': '1e+06',
      'a.c.0': 'true',
      'a.c.1': '<nil>',
      e: '1.5',
    });
  });
});

describe('globs', () => {
  it.each([
    ['apps/*', 'apps/web', true],
    ['apps/*', 'apps/web/dev', false],
    ['*', 'apps', true],
    ['apps/w?b', 'apps/web', true],
    ['apps/[a-v]*', 'apps/web', false],
    ['apps/[^a-v]*', 'apps/web', true],
    ['release-*', 'release-1.0', true],
    ['releases/*', 'releases/1.0', true],
    ['releases/*', 'hotfix/releases/1.0', false],
  ])('path.Match(%s, %s) = %s', (pattern, name, expected) => {
    expect(goPathMatch(pattern, name)).toBe(expected);
  });

  it.each([
    ['clusters/*/config.json', 'clusters/staging/eu/config.json', true],
    ['clusters/**/config.json', 'clusters/dev/config.json', true],
    ['clusters', 'clusters/dev/config.json', true],
    ['clusters/dev/config.json', 'clusters/dev/config.json', true],
    ['clusters/*.json', 'other/x.json', false],
  ])('pathspec %s matches %s: %s', (pattern, file, expected) => {
    expect(gitPathspecMatch(pattern, file)).toBe(expected);
  });
});
