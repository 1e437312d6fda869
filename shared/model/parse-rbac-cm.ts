/**
 * `argocd-rbac-cm`: Casbin policy lines (`p` rules and `g` role grants) from `policy.csv` and
 * any `policy.<name>.csv` overlay, the default role, the OIDC scopes and the match mode.
 * Evaluation lives in rbac/; this only reads and checks the lines, naming key and line number.
 */
import type { RbacPolicyRule, RbacRoleGrant, RbacSettings } from './argo-types.js';
import { configMapData } from './config-map.js';
import type { LoadedDocument } from './load-documents.js';
import { parseNestedYaml } from './nested-yaml.js';
import { type Parsed, sourceOf } from './parsed.js';
import { childPath, ProblemList } from './problems.js';
import { checkShape, oneOf, strings } from './shape.js';

const DEFAULT_SCOPES = ['groups'];
const OVERLAY_KEY = /^policy\.[^.]+\.csv$/;
const RESOURCES = [
  '*',
  'applications',
  'applicationsets',
  'clusters',
  'projects',
  'repositories',
  'write-repositories',
  'certificates',
  'accounts',
  'gpgkeys',
  'logs',
  'exec',
  'extensions',
];

export function parseRbacConfigMap(doc: LoadedDocument): Parsed<RbacSettings> {
  const problems = new ProblemList(doc);
  const data = configMapData(doc.object, problems);
  const policies: RbacPolicyRule[] = [];
  const grants: RbacRoleGrant[] = [];
  const keys = Object.keys(data)
    .filter((key) => OVERLAY_KEY.test(key))
    .sort();
  for (const key of ['policy.csv', ...keys]) {
    const text = data[key];
    if (text !== undefined) readPolicyCsv({ text, path: childPath('data', key), policies, grants, problems });
  }

  const matchMode = data['policy.matchMode'];
  checkShape(matchMode, oneOf('glob', 'regex'), childPath('data', 'policy.matchMode'), problems);
  const settings: RbacSettings = {
    policies,
    grants,
    ...(data['policy.default'] ? { defaultRole: data['policy.default'] } : {}),
    scopes: scopes(data.scopes, problems),
    matchMode: matchMode === 'regex' ? 'regex' : 'glob',
    raw: data,
  };
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  return { kind: 'valid', value: settings, source: sourceOf(doc) };
}

interface PolicyCsvInput {
  readonly text: string;
  /** Path of the key, for messages. */
  readonly path: string;
  readonly policies: RbacPolicyRule[];
  readonly grants: RbacRoleGrant[];
  readonly problems: ProblemList;
}

function readPolicyCsv(input: PolicyCsvInput): void {
  const { path, problems } = input;
  input.text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = splitCsvLine(trimmed);
    if (!fields) {
      problems.add(path, `line ${line}: unterminated quote`);
      return;
    }
    const [type, ...rest] = fields;
    if (type === 'p') {
      if (rest.length !== 5) {
        problems.add(
          path,
          `line ${line}: a p line has 5 fields (subject, resource, action, object, effect), not ${rest.length}`,
        );
        return;
      }
      const [subject, resource, action, object, effect] = rest as [string, string, string, string, string];
      const empty = ['subject', 'resource', 'action', 'object'].filter((_, k) => rest[k] === '');
      if (empty.length > 0) problems.add(path, `line ${line}: empty ${empty.join(', ')}`);
      if (!RESOURCES.includes(resource)) {
        problems.add(
          path,
          `line ${line}: unknown resource "${resource}" (expected one of ${RESOURCES.join(', ')})`,
        );
      }
      if (effect !== 'allow' && effect !== 'deny') {
        problems.add(path, `line ${line}: effect must be allow or deny, not "${effect}"`);
        return;
      }
      if (empty.length === 0) input.policies.push({ line, subject, resource, action, object, effect });
    } else if (type === 'g') {
      if (rest.length !== 2 || !rest[0] || !rest[1]) {
        problems.add(path, `line ${line}: a g line has 2 fields (user or group, role)`);
        return;
      }
      input.grants.push({ line, subject: rest[0], role: rest[1] });
    } else {
      problems.add(path, `line ${line}: starts with "${type}"; expected p or g`);
    }
  });
}

/** Comma-separated fields, trimmed; a field may be double-quoted to hold commas. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) return undefined;
      fields.push(line.slice(i + 1, end));
      const comma = line.indexOf(',', end);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end).trim());
      i = end + 1;
    }
  }
  return fields;
}

/** `scopes` is YAML such as `[groups, email]`. */
function scopes(text: string | undefined, problems: ProblemList): readonly string[] {
  if (text === undefined) return DEFAULT_SCOPES;
  const path = childPath('data', 'scopes');
  const value = parseNestedYaml(text, path, problems);
  if (value === undefined || value === null) return DEFAULT_SCOPES;
  const before = problems.size;
  checkShape(value, strings, path, problems);
  return problems.size > before || !Array.isArray(value) ? DEFAULT_SCOPES : (value as string[]);
}
