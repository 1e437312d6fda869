/** The validation a test is likely to trip over: names, replicas, container images. */
import type { ResourceType } from './resource-registry.js';
import { type FieldError, invalid } from './status-errors.js';
import { isObject, type JsonObject } from './types.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_TEXT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['/Namespace', '/Service']);

function nameErrors(rt: ResourceType, name: string): FieldError[] {
  const label = LABEL_NAMED.has(`${rt.group}/${rt.kind}`);
  const ok = label ? LABEL.test(name) && name.length <= 63 : SUBDOMAIN.test(name) && name.length <= 253;
  return ok
    ? []
    : [{ type: 'Invalid', field: 'metadata.name', value: name, detail: label ? LABEL_TEXT : SUBDOMAIN_TEXT }];
}

function containerErrors(podSpec: unknown, base: string): FieldError[] {
  if (!isObject(podSpec)) return [];
  const out: FieldError[] = [];
  const containers = podSpec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    out.push({ type: 'Required', field: `${base}.containers` });
    return out;
  }
  containers.forEach((c, i) => {
    if (!isObject(c)) return;
    if (typeof c.name !== 'string' || c.name === '')
      out.push({ type: 'Required', field: `${base}.containers[${i}].name` });
    if (typeof c.image !== 'string' || c.image === '')
      out.push({ type: 'Required', field: `${base}.containers[${i}].image` });
  });
  return out;
}

/** Throws the 422 Invalid Status if the object (after defaulting) is not acceptable. */
export function validateObject(rt: ResourceType, obj: JsonObject): void {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const errors: FieldError[] = [];
  if (!name)
    errors.push({ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' });
  else errors.push(...nameErrors(rt, name));
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  if (rt.group === 'apps' && spec) {
    if (typeof spec.replicas === 'number' && spec.replicas < 0) {
      errors.push({
        type: 'Invalid',
        field: 'spec.replicas',
        value: spec.replicas,
        detail: 'must be greater than or equal to 0',
      });
    }
  }
  if ((rt.group === 'apps' || (rt.group === 'batch' && rt.kind === 'Job')) && spec) {
    const template = isObject(spec.template) ? spec.template : {};
    errors.push(...containerErrors(template.spec, 'spec.template.spec'));
  }
  if (rt.group === '' && rt.kind === 'Pod') errors.push(...containerErrors(spec ?? {}, 'spec'));
  if (errors.length > 0) throw invalid({ group: rt.group, kind: rt.kind }, name, errors);
}
