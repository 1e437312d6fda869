/**
 * The structure the CloudWatch Embedded Metric Format specification requires of a document,
 * written down independently of the implementation so the tests check one against the other.
 * Answers the list of violations; an empty list is a valid document.
 */
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraMembers(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k));
}

export function emfViolations(line: string): string[] {
  const problems: string[] = [];
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch {
    return ['the log event is not one JSON value'];
  }
  if (!isObject(root)) return ['the root node is not an object'];
  const meta = root._aws;
  if (!isObject(meta)) return ['_aws is missing or not an object'];
  if (typeof meta.Timestamp !== 'number' || !Number.isInteger(meta.Timestamp) || meta.Timestamp < 0) {
    problems.push('_aws.Timestamp must be milliseconds since the epoch');
  }
  if (!Array.isArray(meta.CloudWatchMetrics)) return [...problems, '_aws.CloudWatchMetrics must be an array'];
  for (const [i, directive] of meta.CloudWatchMetrics.entries()) {
    const at = `CloudWatchMetrics[${i}]`;
    if (!isObject(directive)) {
      problems.push(`${at} is not an object`);
      continue;
    }
    for (const extra of extraMembers(directive, ['Namespace', 'Dimensions', 'Metrics'])) {
      problems.push(`${at} has an unknown member ${extra}`);
    }
    const ns = directive.Namespace;
    if (typeof ns !== 'string' || ns.length < 1 || ns.length > 255)
      problems.push(`${at}.Namespace must be 1-255 chars`);
    if (!Array.isArray(directive.Dimensions)) {
      problems.push(`${at}.Dimensions must be an array of dimension sets`);
    } else {
      for (const set of directive.Dimensions) {
        if (!Array.isArray(set) || set.length > 30) {
          problems.push(`${at}: a dimension set must be an array of at most 30 keys`);
          continue;
        }
        for (const key of set) {
          if (typeof key !== 'string') problems.push(`${at}: dimension key ${String(key)} is not a string`);
          else if (typeof root[key] !== 'string')
            problems.push(`${at}: dimension ${key} has no string member`);
        }
      }
    }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) {
      problems.push(`${at}.Metrics must be an array of at most 100 metric definitions`);
      continue;
    }
    for (const definition of directive.Metrics) {
      if (!isObject(definition)) {
        problems.push(`${at}: a metric definition is not an object`);
        continue;
      }
      for (const extra of extraMembers(definition, ['Name', 'Unit', 'StorageResolution'])) {
        problems.push(`${at}: metric definition has an unknown member ${extra}`);
      }
      const name = definition.Name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
        problems.push(`${at}: metric Name must be 1-255 chars`);
        continue;
      }
      if (definition.Unit !== undefined && !UNITS.has(String(definition.Unit))) {
        problems.push(`${at}: metric ${name} has unknown unit ${String(definition.Unit)}`);
      }
      if (
        definition.StorageResolution !== undefined &&
        ![1, 60].includes(Number(definition.StorageResolution))
      ) {
        problems.push(`${at}: metric ${name} StorageResolution must be 1 or 60`);
      }
      const value = root[name];
      const numbers = Array.isArray(value) ? value : [value];
      if (numbers.length === 0 || numbers.length > 100 || numbers.some((n) => typeof n !== 'number')) {
        problems.push(`${at}: metric ${name} must be a number or an array of 1-100 numbers`);
      }
    }
  }
  return problems;
}
