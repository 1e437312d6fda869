/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist), used by the cluster generator on cluster Secret labels and by a generator's own
 * `selector` on its string parameters. An empty selector matches everything.
 */
import { DriftlessError } from '../errors/index.js';
import { isPlainObject } from './params.js';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }>;
}

export function readSelector(value: unknown, at: string): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw new DriftlessError('INVALID_MANIFEST', `${at}: must be an object`);
  const expressions = value.matchExpressions;
  if (expressions !== undefined && !Array.isArray(expressions)) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.matchExpressions: must be a list`);
  }
  for (const [i, expression] of (expressions ?? []).entries()) {
    const operator = isPlainObject(expression) ? expression.operator : undefined;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(operator))) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${at}.matchExpressions[${i}].operator: ${JSON.stringify(operator)} is not a valid label selector operator`,
      );
    }
    const values = (expression as { values?: unknown }).values;
    const needsValues = operator === 'In' || operator === 'NotIn';
    if (needsValues !== (Array.isArray(values) && values.length > 0)) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${at}.matchExpressions[${i}].values: ${needsValues ? 'must be non-empty' : 'must be empty'} for ${operator}`,
      );
    }
  }
  return value as LabelSelector;
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
  );
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
