/**
 * ApplicationSet: generators produce parameter sets and the template turns each into an
 * Application. Only what the CRD fixes is checked here; template strings may hold `{{...}}`
 * placeholders, so the generated Applications are validated again after templating.
 */

import { applicationSpecFields, metadataShape } from './application-shapes.js';
import type { ApplicationSet } from './argo-types.js';
import type { LoadedDocument } from './load-documents.js';
import { ARGO_API_VERSION, checkHeader } from './object-header.js';
import { checkApplicationSpec } from './parse-application.js';
import { type Parsed, sourceOf } from './parsed.js';
import { childPath, ProblemList } from './problems.js';
import {
  any,
  anyMap,
  arrayOf,
  bool,
  checkShape,
  int,
  isRecord,
  obj,
  oneOf,
  type Shape,
  str,
  stringMap,
  strings,
} from './shape.js';

const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: arrayOf(obj({ key: str, operator: str, values: strings }, ['key', 'operator'])),
});

const templateShape = obj({ metadata: metadataShape, spec: obj(applicationSpecFields) });

const pathEntry = arrayOf(obj({ path: str, exclude: bool }, ['path']));

/** Leaf generators by name; matrix and merge nest generators and are checked recursively. */
const LEAF_GENERATORS: Readonly<Record<string, Shape>> = {
  list: obj({ elements: arrayOf(any), elementsYaml: str, template: templateShape }),
  clusters: obj({ selector: labelSelector, values: stringMap, template: templateShape, flatList: bool }),
  git: obj(
    {
      repoURL: str,
      revision: str,
      directories: pathEntry,
      files: pathEntry,
      pathParamPrefix: str,
      requeueAfterSeconds: int,
      values: stringMap,
      template: templateShape,
    },
    ['repoURL'],
  ),
  scmProvider: anyMap,
  clusterDecisionResource: anyMap,
  pullRequest: anyMap,
  plugin: anyMap,
};

const NESTING_GENERATORS = ['matrix', 'merge'] as const;
const GENERATOR_NAMES = [...Object.keys(LEAF_GENERATORS), ...NESTING_GENERATORS];

const specShape = obj(
  {
    generators: arrayOf(anyMap),
    // template.spec gets the Application checks below, with the rules between fields.
    template: obj({ metadata: metadataShape, spec: anyMap }),
    goTemplate: bool,
    goTemplateOptions: strings,
    syncPolicy: obj({
      applicationsSync: oneOf('create-only', 'create-update', 'create-delete', 'sync'),
      preserveResourcesOnDeletion: bool,
    }),
    templatePatch: str,
    strategy: obj({ type: oneOf('AllAtOnce', 'RollingSync'), rollingSync: anyMap, deletionOrder: str }),
    preservedFields: obj({ annotations: strings, labels: strings }),
    ignoreApplicationDifferences: arrayOf(
      obj({ name: str, jsonPointers: strings, jqPathExpressions: strings }),
    ),
  },
  ['generators', 'template'],
);

export function parseApplicationSet(doc: LoadedDocument): Parsed<ApplicationSet> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  checkHeader(object, { apiVersion: ARGO_API_VERSION, nameRequired: true }, problems);
  const spec = object.spec;
  if (!isRecord(spec)) {
    problems.add('spec', spec === undefined || spec === null ? 'is required' : 'must be an object');
  } else {
    checkShape(spec, specShape, 'spec', problems);
    if (Array.isArray(spec.generators)) checkGenerators(spec.generators, 'spec.generators', 0, problems);
    const template = spec.template;
    if (isRecord(template) && isRecord(template.spec)) {
      checkApplicationSpec(template.spec, { path: 'spec.template.spec', template: true }, problems);
    }
  }
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  return {
    kind: 'valid',
    value: structuredClone(object) as unknown as ApplicationSet,
    source: sourceOf(doc),
  };
}

function checkGenerators(
  generators: readonly unknown[],
  path: string,
  depth: number,
  problems: ProblemList,
): void {
  generators.forEach((generator, i) => {
    const at = childPath(path, i);
    if (!isRecord(generator)) return;
    const names = Object.keys(generator).filter((key) => GENERATOR_NAMES.includes(key));
    if (names.length === 0) {
      problems.add(at, `set one generator (${GENERATOR_NAMES.join(', ')})`);
      return;
    }
    if (depth > 0 && names.length > 1) problems.add(at, `set one generator, not ${names.join(' and ')}`);
    checkShape(generator.selector, labelSelector, childPath(at, 'selector'), problems);
    for (const name of names) {
      const body = generator[name];
      const bodyPath = childPath(at, name);
      const leaf = LEAF_GENERATORS[name];
      if (leaf) {
        checkShape(body, leaf, bodyPath, problems);
        continue;
      }
      checkShape(
        body,
        obj({ generators: arrayOf(anyMap), mergeKeys: strings, template: templateShape }),
        bodyPath,
        problems,
      );
      if (!isRecord(body)) continue;
      const children = body.generators;
      if (!Array.isArray(children)) {
        problems.add(childPath(bodyPath, 'generators'), 'is required');
        continue;
      }
      if (name === 'matrix' && children.length !== 2) {
        problems.add(
          childPath(bodyPath, 'generators'),
          `a matrix combines exactly 2 generators, not ${children.length}`,
        );
      }
      if (name === 'merge' && !(Array.isArray(body.mergeKeys) && body.mergeKeys.length > 0)) {
        problems.add(childPath(bodyPath, 'mergeKeys'), 'is required');
      }
      checkGenerators(children, childPath(bodyPath, 'generators'), depth + 1, problems);
    }
  });
}
