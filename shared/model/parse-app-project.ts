/**
 * AppProject: which repositories, destinations and kinds its Applications may use. The
 * restrictions themselves are enforced by rbac/; here only the shape is checked.
 */

import { destinationShape } from './application-shapes.js';
import type { AppProject } from './argo-types.js';
import type { LoadedDocument } from './load-documents.js';
import { ARGO_API_VERSION, checkHeader } from './object-header.js';
import { type Parsed, sourceOf } from './parsed.js';
import { ProblemList } from './problems.js';
import { anyMap, arrayOf, bool, checkShape, int, isRecord, obj, oneOf, str, strings } from './shape.js';

const groupKind = arrayOf(obj({ group: str, kind: str }, ['kind']));

const specShape = obj({
  description: str,
  sourceRepos: strings,
  sourceNamespaces: strings,
  destinations: arrayOf(destinationShape),
  clusterResourceWhitelist: groupKind,
  clusterResourceBlacklist: groupKind,
  namespaceResourceWhitelist: groupKind,
  namespaceResourceBlacklist: groupKind,
  roles: arrayOf(
    obj(
      {
        name: str,
        description: str,
        policies: strings,
        groups: strings,
        jwtTokens: arrayOf(obj({ iat: int, exp: int, id: str })),
      },
      ['name'],
    ),
  ),
  syncWindows: arrayOf(
    obj({
      kind: oneOf('allow', 'deny'),
      schedule: str,
      duration: str,
      applications: strings,
      namespaces: strings,
      clusters: strings,
      manualSync: bool,
      timeZone: str,
      andOperator: bool,
      description: str,
    }),
  ),
  orphanedResources: obj({ warn: bool, ignore: arrayOf(obj({ group: str, kind: str, name: str })) }),
  signatureKeys: arrayOf(obj({ keyID: str }, ['keyID'])),
  permitOnlyProjectScopedClusters: bool,
  destinationServiceAccounts: arrayOf(
    obj({ server: str, namespace: str, defaultServiceAccount: str }, ['server', 'defaultServiceAccount']),
  ),
  sourceHydrator: anyMap,
});

export function parseAppProject(doc: LoadedDocument): Parsed<AppProject> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  checkHeader(object, { apiVersion: ARGO_API_VERSION, nameRequired: true }, problems);
  const spec = object.spec;
  if (spec !== undefined && spec !== null && !isRecord(spec)) problems.add('spec', 'must be an object');
  else checkShape(spec, specShape, 'spec', problems);
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  const project = structuredClone(object) as unknown as AppProject;
  // An AppProject without spec is legal and permits nothing.
  if (!project.spec) project.spec = {};
  return { kind: 'valid', value: project, source: sourceOf(doc) };
}
