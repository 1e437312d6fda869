/**
 * One entry of `spec.generators` (or of a matrix/merge) → parameter sets and the template they
 * fill: the generator's own `template` merged over the base, its body templated first with the
 * parameters of a matrix's earlier child (when there are any), its parameter sets filtered by
 * its `selector`. Matrix and merge recurse through here for their children.
 */
import { DriftlessError, isDriftlessError, messageOf } from '../../errors/index.js';
import { toGoJson } from '../go-template/index.js';
import { readSelector, selectorMatches } from '../label-selector.js';
import { isPlainObject, type ParamSet, stringParams } from '../params.js';
import { mergeTemplates } from '../template/merge-template.js';
import { renderDeep } from '../template/render.js';
import { clustersGenerator } from './clusters.js';
import type { GeneratorRun, LeafGenerator } from './generator-run.js';
import { gitGenerator } from './git.js';
import { listGenerator } from './list.js';
import { pullRequestGenerator } from './pull-request.js';

const LEAVES: Readonly<Record<string, LeafGenerator>> = {
  list: listGenerator,
  clusters: clustersGenerator,
  git: gitGenerator,
  pullRequest: pullRequestGenerator,
};
const UNSUPPORTED = ['scmProvider', 'clusterDecisionResource', 'plugin'];
const NESTING = ['matrix', 'merge'];

export interface TransformOptions {
  readonly generator: Readonly<Record<string, unknown>>;
  /** Where the generator sits (`spec.generators[0]`), for messages. */
  readonly at: string;
  readonly baseTemplate: Readonly<Record<string, unknown>>;
  readonly run: GeneratorRun;
  /** Parameters of a matrix's earlier child; the body is templated with them when not empty. */
  readonly interpolation: ParamSet;
}

export interface TransformResult {
  readonly at: string;
  readonly params: readonly ParamSet[];
  readonly template: Readonly<Record<string, unknown>>;
}

export async function transformGenerator(options: TransformOptions): Promise<TransformResult[]> {
  const { generator, run } = options;
  const names = Object.keys(generator).filter((key) => key !== 'selector');
  if (names.length === 0) throw new DriftlessError('INVALID_MANIFEST', `${options.at}: no generator set`);
  const selector = readSelector(generator.selector, `${options.at}.selector`);
  const results: TransformResult[] = [];
  for (const name of names) {
    const at = `${options.at}.${name}`;
    const raw = generator[name];
    if (!isPlainObject(raw)) throw new DriftlessError('INVALID_MANIFEST', `${at}: must be an object`);
    const template = mergeTemplates(raw.template, options.baseTemplate) as Record<string, unknown>;
    const { template: _own, ...rest } = raw;
    const body =
      Object.keys(options.interpolation).length > 0
        ? (withPath(at, () => renderDeep(rest, options.interpolation, run.mode)) as Record<string, unknown>)
        : rest;
    const params = await withPathAsync(at, () => paramsOf(name, body, at, run));
    const selected = selector ? params.filter((p) => selectorMatches(selector, stringParams(p))) : params;
    results.push({ at, params: selected, template });
  }
  return results;
}

async function paramsOf(
  name: string,
  body: Readonly<Record<string, unknown>>,
  at: string,
  run: GeneratorRun,
): Promise<ParamSet[]> {
  const leaf = LEAVES[name];
  if (leaf) return leaf(body, at, run);
  if (name === 'matrix') return matrixParams(body, at, run);
  if (name === 'merge') return mergeParams(body, at, run);
  if (UNSUPPORTED.includes(name)) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${at}: the ${name} generator is not supported by Driftless`,
    );
  }
  throw new DriftlessError(
    'INVALID_MANIFEST',
    `${at}: unknown generator (expected one of ${[...Object.keys(LEAVES), ...NESTING].join(', ')})`,
  );
}

function children(body: Readonly<Record<string, unknown>>, at: string): Record<string, unknown>[] {
  const list = body.generators;
  if (!Array.isArray(list) || !list.every(isPlainObject)) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.generators: must be a list of generators`);
  }
  return list;
}

/** The parameter sets of one child of a matrix or merge, which must hold exactly one generator. */
async function childParams(
  child: Readonly<Record<string, unknown>>,
  at: string,
  run: GeneratorRun,
  interpolation: ParamSet,
): Promise<readonly ParamSet[]> {
  const results = await transformGenerator({ generator: child, at, baseTemplate: {}, run, interpolation });
  if (results.length !== 1) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}: set exactly one generator, not ${results.length}`);
  }
  return (results[0] as TransformResult).params;
}

async function matrixParams(
  body: Readonly<Record<string, unknown>>,
  at: string,
  run: GeneratorRun,
): Promise<ParamSet[]> {
  const list = children(body, at);
  if (list.length !== 2) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${at}.generators: a matrix combines exactly 2 generators, not ${list.length}`,
    );
  }
  const [first, second] = list as [Record<string, unknown>, Record<string, unknown>];
  const out: ParamSet[] = [];
  for (const left of await childParams(first, `${at}.generators[0]`, run, {})) {
    for (const right of await childParams(second, `${at}.generators[1]`, run, left)) {
      out.push(run.mode.goTemplate ? deepMerge(left, right, false) : combineFlat(left, right, at));
    }
  }
  return out;
}

/** fasttemplate matrix: the same key with two different values is an error, as in Argo CD. */
function combineFlat(left: ParamSet, right: ParamSet, at: string): ParamSet {
  const out: Record<string, unknown> = { ...left };
  for (const [key, value] of Object.entries(right)) {
    if (Object.hasOwn(out, key) && out[key] !== value) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${at}: found duplicate key ${key} with different value, a: ${String(out[key])} ,b: ${String(value)}`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Deep merge of parameter maps; `override` decides who wins a key both hold with a non-map value. */
function deepMerge(base: ParamSet, other: ParamSet, override: boolean): ParamSet {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(other)) {
    const existing = out[key];
    if (isPlainObject(existing) && isPlainObject(value)) out[key] = deepMerge(existing, value, override);
    else if (!Object.hasOwn(out, key) || override) out[key] = structuredClone(value);
  }
  return out;
}

async function mergeParams(
  body: Readonly<Record<string, unknown>>,
  at: string,
  run: GeneratorRun,
): Promise<ParamSet[]> {
  const list = children(body, at);
  if (list.length < 2) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${at}.generators: a merge needs at least 2 generators, not ${list.length}`,
    );
  }
  const mergeKeys = body.mergeKeys;
  if (!Array.isArray(mergeKeys) || mergeKeys.length === 0 || !mergeKeys.every((k) => typeof k === 'string')) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.mergeKeys: name at least one parameter to merge on`);
  }
  const keys = [...new Set(mergeKeys as string[])];
  const sets: (readonly ParamSet[])[] = [];
  for (const [i, child] of list.entries())
    sets.push(await childParams(child, `${at}.generators[${i}]`, run, {}));
  let base = [...(sets[0] as readonly ParamSet[])];
  for (const [i, overrides] of sets.slice(1).entries()) {
    const byKey = new Map<string, ParamSet>();
    for (const params of overrides) {
      const key = mergeKeyOf(params, keys);
      if (byKey.has(key)) {
        throw new DriftlessError(
          'INVALID_MANIFEST',
          `${at}.generators[${i + 1}]: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${key}`,
        );
      }
      byKey.set(key, params);
    }
    base = base.map((params) => {
      const match = byKey.get(mergeKeyOf(params, keys));
      if (!match) return params;
      return run.mode.goTemplate ? deepMerge(params, match, true) : { ...params, ...match };
    });
  }
  return base;
}

function mergeKeyOf(params: ParamSet, keys: readonly string[]): string {
  const key: Record<string, unknown> = {};
  for (const name of keys) key[name] = lookup(params, name) ?? null;
  return toGoJson(key);
}

/** A merge key is a top-level parameter name; with goTemplate a dotted name also reaches into nested maps. */
function lookup(params: ParamSet, name: string): unknown {
  if (Object.hasOwn(params, name)) return params[name];
  let value: unknown = params;
  for (const part of name.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function withPath<T>(at: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw prefixed(at, e);
  }
}

async function withPathAsync<T>(at: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw prefixed(at, e);
  }
}

/** Errors name the generator path once, however deep they were raised. */
function prefixed(at: string, e: unknown): unknown {
  const message = messageOf(e);
  if (message.startsWith(at.split('.')[0] as string)) return e;
  if (isDriftlessError(e)) {
    return new DriftlessError(e.code, `${at}: ${message}`, {
      retryable: e.retryable,
      context: e.context,
      cause: e,
    });
  }
  return new DriftlessError('INTERNAL', `${at}: ${message}`, { cause: e });
}
