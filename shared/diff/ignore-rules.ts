/**
 * ignoreDifferences, compiled once per rule set. Rules from the Application, from argocd-cm
 * customizations and from argocd-cm `.all` are matched against a resource's key (group and kind
 * are globs, name and namespace exact when given), then turned into concrete paths of a given
 * object: JSON pointers that do not resolve and jq expressions that fail at run time select
 * nothing for that object, which is how Argo CD treats them.
 */
import { DriftlessError, isDriftlessError } from '../errors/index.js';
import type { ResourceKey } from '../model/index.js';
import type { IgnoreDifferences, IgnoreRule, IgnoreRuleBody } from './diff-types.js';
import { compileJqPathExpression, type JqPathExpression } from './jq-path-expression.js';
import { parseJsonPointer, resolveJsonPointer } from './json-pointer.js';
import type { FieldPath, JsonValue } from './json-value.js';

interface CompiledRule {
  readonly group: RegExp;
  readonly kind: RegExp;
  readonly name?: string;
  readonly namespace?: string;
  readonly pointers: readonly (readonly string[])[];
  readonly jq: readonly JqPathExpression[];
  readonly managers: readonly string[];
}

/** The rules that apply to one resource, merged. */
export interface MatchedIgnore {
  readonly pointers: readonly (readonly string[])[];
  readonly jq: readonly JqPathExpression[];
  readonly managers: readonly string[];
}

export interface CompiledIgnoreRules {
  forResource(key: ResourceKey): MatchedIgnore;
}

const cache = new WeakMap<IgnoreDifferences, CompiledIgnoreRules>();

/** Compiles (and caches per settings object) every rule; throws on a bad pointer or jq expression. */
export function compileIgnoreRules(settings: IgnoreDifferences | undefined): CompiledIgnoreRules {
  if (settings === undefined) return { forResource: () => ({ pointers: [], jq: [], managers: [] }) };
  const cached = cache.get(settings);
  if (cached !== undefined) return cached;
  const rules: CompiledRule[] = [];
  (settings.application ?? []).forEach((rule, i) => {
    rules.push(compileRule(rule, `spec.ignoreDifferences[${i}]`));
  });
  for (const rule of settings.customizations ?? []) {
    const key = `${rule.group ?? ''}_${rule.kind}`.replace(/^_/, '');
    rules.push(compileRule(rule, `argocd-cm resource.customizations.ignoreDifferences.${key}`));
  }
  if (settings.all !== undefined) {
    rules.push(
      compileRule(
        { ...settings.all, group: '*', kind: '*' },
        'argocd-cm resource.customizations.ignoreDifferences.all',
      ),
    );
  }
  const compiled: CompiledIgnoreRules = {
    forResource(key) {
      const matched = rules.filter(
        (r) =>
          r.group.test(key.group) &&
          r.kind.test(key.kind) &&
          (r.name === undefined || r.name === key.name) &&
          (r.namespace === undefined || r.namespace === key.namespace),
      );
      return {
        pointers: matched.flatMap((r) => r.pointers),
        jq: matched.flatMap((r) => r.jq),
        managers: [...new Set(matched.flatMap((r) => r.managers))],
      };
    },
  };
  cache.set(settings, compiled);
  return compiled;
}

function compileRule(rule: IgnoreRule, where: string): CompiledRule {
  if (typeof rule.kind !== 'string' || rule.kind === '') {
    throw new DriftlessError('INVALID_MANIFEST', `${where}.kind: required`, {
      context: { field: `${where}.kind` },
    });
  }
  const body: IgnoreRuleBody = rule;
  return {
    group: globToRegExp(rule.group ?? ''),
    kind: globToRegExp(rule.kind),
    ...(rule.name ? { name: rule.name } : {}),
    ...(rule.namespace ? { namespace: rule.namespace } : {}),
    pointers: (body.jsonPointers ?? []).map((p, i) =>
      withField(`${where}.jsonPointers[${i}]`, () => parseJsonPointer(p)),
    ),
    jq: (body.jqPathExpressions ?? []).map((e, i) =>
      withField(`${where}.jqPathExpressions[${i}]`, () => compileJqPathExpression(e)),
    ),
    managers: body.managedFieldsManagers ?? [],
  };
}

function withField<T>(field: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (isDriftlessError(e)) {
      throw new DriftlessError(e.code, `${field}: ${e.message}`, {
        context: { ...e.context, field },
        cause: e,
      });
    }
    throw e;
  }
}

/** Argo CD's glob for group/kind: `*` any run, `?` one character, everything else literal. */
function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function hasPathRules(matched: MatchedIgnore): boolean {
  return matched.pointers.length > 0 || matched.jq.length > 0;
}

/** Concrete paths of `doc` selected by the matched JSON pointers and jq expressions. */
export function ignoredPathsIn(doc: JsonValue, matched: MatchedIgnore): readonly FieldPath[] {
  const out: FieldPath[] = [];
  for (const tokens of matched.pointers) {
    const path = resolveJsonPointer(doc, tokens);
    if (path !== undefined && path.length > 0) out.push(path);
  }
  for (const expression of matched.jq) {
    const outcome = expression.paths(doc);
    if (outcome.kind === 'paths') out.push(...outcome.paths.filter((p) => p.length > 0));
  }
  return out;
}
