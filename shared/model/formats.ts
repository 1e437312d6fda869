/**
 * String formats Argo CD and Kubernetes check when they decode a field: Go durations, object
 * names, `Key=Value` sync options. Each rule returns a message or undefined, for `Shape.rule`.
 */

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Go's time.ParseDuration: `300ms`, `5s`, `1h30m`; a bare `0` too. */
export function goDuration(value: string): string | undefined {
  return value === '0' || GO_DURATION.test(value)
    ? undefined
    : `must be a duration such as 5s, 3m or 1h30m, not "${value}"`;
}

/** Retry backoff durations: Argo CD reads a bare integer as seconds, anything else as a Go duration. */
export function secondsOrGoDuration(value: string): string | undefined {
  return /^\d+$/.test(value) ? undefined : goDuration(value);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Names of Argo CD's own objects, checked by the API server as DNS-1123 subdomains. */
export function objectName(value: string): string | undefined {
  if (value.length > 253) return `must be at most 253 characters, not ${value.length}`;
  return DNS1123_SUBDOMAIN.test(value)
    ? undefined
    : `must be lower case letters, digits, '-' and '.', starting and ending with a letter or digit, not "${value}"`;
}

/** Sync options are `Key=Value` strings (`CreateNamespace=true`, `ServerSideApply=true`). */
export function syncOption(value: string): string | undefined {
  const eq = value.indexOf('=');
  return eq > 0 ? undefined : `must be Key=Value (such as CreateNamespace=true), not "${value}"`;
}

/** RFC 6901 pointers as ignoreDifferences uses them: empty (the whole object) or starting with `/`. */
export function jsonPointer(value: string): string | undefined {
  return value === '' || value.startsWith('/')
    ? undefined
    : `must be a JSON pointer starting with /, not "${value}"`;
}
