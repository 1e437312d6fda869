import { describe, expect, it } from 'vitest';
import { goGlobMatch } from '../../../shared/webhook/index.js';

// Cases follow the documented semantics of Go's path/filepath.Match on '/'-separated names.
describe('goGlobMatch', () => {
  it.each([
    ['/a/*/c.yaml', '/a/b/c.yaml', true],
    ['/a/*/c.yaml', '/a/b/x/c.yaml', false],
    ['/a/*', '/a/', true],
    ['/a/?.yaml', '/a/b.yaml', true],
    ['/a/?.yaml', '/a/bb.yaml', false],
    ['/a/?', '/a//', false],
    ['/a/[bc].yaml', '/a/c.yaml', true],
    ['/a/[^bc].yaml', '/a/c.yaml', false],
    ['/a/[^bc].yaml', '/a/d.yaml', true],
    ['/a/[^bc]', '/a//', false],
    ['/a/[a-c]x', '/a/bx', true],
    ['/a/[a-c]x', '/a/dx', false],
    ['/a/\\*', '/a/*', true],
    ['/a/\\*', '/a/b', false],
    ['/a.b/c', '/aXb/c', false],
    ['/a/**/c', '/a/b/d/c', false],
    ['/a/{b,c}', '/a/b', false],
  ])('%s against %s: %s', (pattern, name, expected) => {
    expect(goGlobMatch(pattern, name)).toBe(expected);
  });

  it.each(['/a/[', '/a/[]', '/a/[z-a]', '/a/\\', '/a/[-a]'])(
    'treats the malformed pattern %s as no match',
    (pattern) => {
      expect(goGlobMatch(pattern, '/a/b')).toBe(false);
    },
  );
});
