/**
 * The fields of an Application's spec as Argo CD's CRD declares them. ApplicationSet templates
 * and AppProjects reuse parts of these (destination, sources, sync policy).
 */
import { goDuration, jsonPointer, secondsOrGoDuration, syncOption } from './formats.js';
import {
  any,
  anyMap,
  arrayOf,
  bool,
  int,
  num,
  obj,
  oneOf,
  type Shape,
  str,
  stringMap,
  strings,
} from './shape.js';

const kustomizePatchTarget = obj({
  group: str,
  version: str,
  kind: str,
  name: str,
  namespace: str,
  labelSelector: str,
  annotationSelector: str,
});

export const kustomizeShape = obj({
  namePrefix: str,
  nameSuffix: str,
  images: strings,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  commonAnnotationsEnvsubst: bool,
  labelWithoutSelector: bool,
  labelIncludeTemplates: bool,
  forceCommonLabels: bool,
  forceCommonAnnotations: bool,
  namespace: str,
  replicas: arrayOf(obj({ name: str, count: { type: 'int-or-string' } }, ['name', 'count'])),
  patches: arrayOf(
    obj({ path: str, patch: str, target: kustomizePatchTarget, options: { type: 'map', values: bool } }),
  ),
  components: strings,
  ignoreMissingComponents: bool,
  version: str,
  kubeVersion: str,
  apiVersions: strings,
});

export const helmShape = obj({
  releaseName: str,
  valueFiles: strings,
  ignoreMissingValueFiles: bool,
  values: str,
  valuesObject: anyMap,
  parameters: arrayOf(obj({ name: str, value: str, forceString: bool }, ['name'])),
  fileParameters: arrayOf(obj({ name: str, path: str }, ['name', 'path'])),
  namespace: str,
  skipCrds: bool,
  skipSchemaValidation: bool,
  skipTests: bool,
  passCredentials: bool,
  version: str,
  kubeVersion: str,
  apiVersions: strings,
});

const jsonnetVar = obj({ name: str, value: str, code: bool }, ['name']);

export const directoryShape = obj({
  recurse: bool,
  include: str,
  exclude: str,
  jsonnet: obj({ extVars: arrayOf(jsonnetVar), tlas: arrayOf(jsonnetVar), libs: strings }),
});

export const pluginShape = obj({
  name: str,
  env: arrayOf(obj({ name: str, value: str }, ['name'])),
  parameters: arrayOf(obj({ name: str, string: str, array: strings, map: stringMap }, ['name'])),
});

export const sourceShape = obj(
  {
    repoURL: str,
    path: str,
    targetRevision: str,
    chart: str,
    ref: str,
    name: str,
    kustomize: kustomizeShape,
    helm: helmShape,
    directory: directoryShape,
    plugin: pluginShape,
  },
  ['repoURL'],
);

export const destinationShape = obj({ server: str, name: str, namespace: str });

export const syncPolicyShape = obj({
  automated: obj({ prune: bool, selfHeal: bool, allowEmpty: bool, enabled: bool }),
  syncOptions: arrayOf({ type: 'string', rule: syncOption }),
  retry: obj({
    limit: int,
    refresh: bool,
    backoff: obj({
      duration: { type: 'string', rule: secondsOrGoDuration },
      factor: int,
      maxDuration: { type: 'string', rule: secondsOrGoDuration },
    }),
  }),
  managedNamespaceMetadata: obj({ labels: stringMap, annotations: stringMap }),
});

export const ignoreDifferencesShape = arrayOf(
  obj(
    {
      group: str,
      kind: str,
      name: str,
      namespace: str,
      jsonPointers: arrayOf({ type: 'string', rule: jsonPointer }),
      jqPathExpressions: strings,
      managedFieldsManagers: strings,
    },
    ['kind'],
  ),
);

/** The spec fields, without the required list: templates may leave them to a patch. */
export const applicationSpecFields: Readonly<Record<string, Shape>> = {
  project: str,
  source: sourceShape,
  sources: arrayOf(sourceShape),
  destination: destinationShape,
  syncPolicy: syncPolicyShape,
  ignoreDifferences: ignoreDifferencesShape,
  revisionHistoryLimit: int,
  info: arrayOf(obj({ name: str, value: str }, ['name', 'value'])),
  sourceHydrator: anyMap,
};

export const metadataShape = obj({
  name: str,
  generateName: str,
  namespace: str,
  labels: stringMap,
  annotations: stringMap,
  finalizers: strings,
  generation: num,
  ownerReferences: arrayOf(any),
});

export const reconciliationTimeout: Shape = { type: 'string', rule: goDuration };
export const trackingMethod = oneOf('annotation', 'label', 'annotation+label');
