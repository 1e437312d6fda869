/**
 * Durations as Argo CD reads them in `retry.backoff`: a bare integer is seconds, anything else is a
 * Go duration (`300ms`, `5s`, `3m`, `1h30m`, `1.5h`, `-2m`).
 */
import { DriftlessError } from '../errors/index.js';

const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const MAX_NANOS = 2 ** 63 - 1;

/** Go's time.ParseDuration, in milliseconds; undefined when the text is not a duration. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let nanos = 0;
  while (rest !== '') {
    const match = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (match === null) return undefined;
    const [whole, intPart = '', fracPart, unit = ''] = match;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined;
    const scale = UNIT_NANOS[unit];
    if (scale === undefined) return undefined;
    const value = Number(`${intPart || '0'}.${fracPart ?? ''}0`);
    nanos += value * scale;
    if (nanos > MAX_NANOS) return undefined;
    rest = rest.slice(whole.length);
  }
  return (sign * nanos) / 1e6;
}

/** Argo CD's retry duration: integer seconds or a Go duration, in milliseconds. */
export function parseRetryDuration(text: string, field: string): number {
  if (/^[+-]?\d+$/.test(text)) return Number.parseInt(text, 10) * 1000;
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${field}: unable to parse ${JSON.stringify(text)} as a duration`,
      {
        context: { field, value: text },
      },
    );
  }
  return ms;
}
