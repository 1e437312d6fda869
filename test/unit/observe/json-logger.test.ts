import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../../shared/errors/index.js';
import { JsonLogger, type LogLevel, parseLogLevel, redactText } from '../../../shared/observe/index.js';
import type { Clock } from '../../../shared/ports/clock.js';

const clock: Clock = { now: () => new Date('2026-11-26T09:00:00.123Z'), sleep: async () => {} };

function logger(level?: LogLevel) {
  const lines: string[] = [];
  const log = new JsonLogger({
    write: (line) => lines.push(line),
    clock,
    ...(level === undefined ? {} : { level }),
    fields: { service: 'sync-worker' },
  });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JsonLogger', () => {
  it('writes one JSON line with level, timestamp, message and the fields of its parents', () => {
    const { log, lines, parsed } = logger();
    const operation = log.child({ app: 'web' }).child({ operation: 'op-7', revision: '1a2b3c' });

    operation.info('wave applied', { wave: 2, resources: 14 });

    expect(lines).toHaveLength(1);
    expect(parsed()).toEqual([
      {
        level: 'info',
        timestamp: '2026-11-26T09:00:00.123Z',
        message: 'wave applied',
        service: 'sync-worker',
        app: 'web',
        operation: 'op-7',
        revision: '1a2b3c',
        wave: 2,
        resources: 14,
      },
    ]);
  });

  it('drops lines below its level', () => {
    const { log, parsed } = logger('warn');

    log.debug('noise');
    log.info('still noise');
    log.warn('throttled', { retryInSeconds: 5 });
    log.error('sync failed');

    expect(parsed().map((l) => [l.level, l.message])).toEqual([
      ['warn', 'throttled'],
      ['error', 'sync failed'],
    ]);
  });

  it('redacts values of keys that look secret, at any depth, and keeps whether they exist', () => {
    const { log, lines, parsed } = logger();

    log.info('calling cluster', {
      password: 'hunter2',
      githubToken: 'ghp_abcdefghijklmnop123456',
      headers: { Authorization: 'Bearer eyJhbGciOi.payload.sig1', 'content-type': 'application/json' },
      repositories: [
        { url: 'https://github.com/org/repo', sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----' },
      ],
      webhookSecretConfigured: true,
      client_secret: { nested: 'value' },
    });

    expect(lines[0]).not.toMatch(/hunter2|ghp_|eyJhbGciOi|OPENSSH|nested/);
    expect(parsed()[0]).toMatchObject({
      password: '[redacted]',
      githubToken: '[redacted]',
      headers: { Authorization: '[redacted]', 'content-type': 'application/json' },
      repositories: [{ url: 'https://github.com/org/repo', sshPrivateKey: '[redacted]' }],
      webhookSecretConfigured: true,
      client_secret: '[redacted]',
    });
  });

  it('redacts credentials inside URLs, messages and errors', () => {
    const { log, lines, parsed } = logger();
    const failure = new DriftlessError(
      'GIT_AUTH',
      'fetch https://x-access-token:ghs_s3cr3tT0ken@github.com/org/repo.git: 401',
      {
        context: {
          repoURL: 'https://oauth2:glpat-0123456789@gitlab.com/org/repo.git',
          token: 'glpat-0123456789',
        },
      },
    );

    log.error('git fetch failed for https://user:pa55word@git.example.com/repo.git', {
      error: failure,
      presigned:
        'https://bucket.s3.amazonaws.com/o?X-Amz-Credential=AKIA123&X-Amz-Signature=abc123def&versionId=1',
    });

    expect(lines[0]).not.toMatch(/ghs_s3cr3tT0ken|glpat-0123456789|pa55word|AKIA123|abc123def/);
    const line = parsed()[0] as { message: string; error: Record<string, unknown>; presigned: string };
    expect(line.message).toBe('git fetch failed for https://[redacted]@git.example.com/repo.git');
    expect(line.error).toMatchObject({
      name: 'DriftlessError',
      code: 'GIT_AUTH',
      retryable: false,
      message: 'fetch https://[redacted]@github.com/org/repo.git: 401',
      context: { repoURL: 'https://[redacted]@gitlab.com/org/repo.git', token: '[redacted]' },
    });
    expect(line.presigned).toBe(
      'https://bucket.s3.amazonaws.com/o?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&versionId=1',
    );
  });

  it('keeps its own keys when a field has the same name, and survives cycles', () => {
    const { log, parsed } = logger();
    const cyclic: Record<string, unknown> = { name: 'web' };
    cyclic.self = cyclic;

    log.info('real message', { message: 'field message', level: 'field level', app: cyclic });

    expect(parsed()[0]).toMatchObject({
      level: 'info',
      message: 'real message',
      'field.message': 'field message',
      'field.level': 'field level',
      app: { name: 'web', self: '[circular]' },
    });
  });

  it('does not throw when the writer fails', () => {
    const log = new JsonLogger({
      write: () => {
        throw new Error('EPIPE');
      },
      clock,
    });

    expect(() => log.error('stdout closed')).not.toThrow();
  });
});

describe('redactText', () => {
  it('hides authorization tokens in prose but leaves prose alone', () => {
    expect(redactText('sent Authorization: Bearer abc.def.ghi123 to the API')).toBe(
      'sent Authorization: Bearer [redacted] to the API',
    );
    expect(redactText('the token refreshed successfully')).toBe('the token refreshed successfully');
    expect(redactText('git@github.com:org/repo.git')).toBe('git@github.com:org/repo.git');
  });
});

describe('parseLogLevel', () => {
  it('reads known levels and names an unknown one', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel(' DEBUG ')).toBe('debug');
    expect(() => parseLogLevel('verbose')).toThrow(
      'log level "verbose" is not one of debug, info, warn, error',
    );
    expect(() => parseLogLevel('toString')).toThrow(/not one of/);
  });
});
