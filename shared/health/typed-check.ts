/**
 * The frame around every built-in check: Argo CD accepts only the API versions it has typed
 * structs for, and converts the object into that struct before judging it. Both steps can fail;
 * the failure text becomes the message of an Unknown status (see resource-health.ts). Only field
 * type errors get the conversion prefix; a check's own errors pass through unchanged.
 */
import { DriftlessError, messageOf } from '../errors/index.js';
import { groupOf, type KubeObject, versionOf } from '../model/index.js';
import type { HealthStatus } from './health-status.js';
import { FieldTypeError } from './object-fields.js';

export interface TypedCheckOptions {
  /** The kind as Argo CD names it in its errors ("Deployment", "HPA"). */
  readonly label: string;
  /** apiVersions with a typed check; undefined accepts any version (fields are read directly). */
  readonly apiVersions?: readonly string[];
  /** Prefix of a conversion failure; defaults to Argo CD's "failed to convert unstructured X to typed". */
  readonly conversionPrefix?: string;
}

/** Go's GroupVersionKind.String(): `apps/v1beta2, Kind=Deployment`, `/v1, Kind=Pod`. */
export function gvkText(obj: KubeObject): string {
  return `${groupOf(obj.apiVersion)}/${versionOf(obj.apiVersion)}, Kind=${obj.kind}`;
}

function resourceContext(obj: KubeObject): Record<string, unknown> {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  };
}

export function typedCheck(
  obj: KubeObject,
  options: TypedCheckOptions,
  assess: (obj: KubeObject) => HealthStatus,
): HealthStatus {
  if (options.apiVersions !== undefined && !options.apiVersions.includes(obj.apiVersion)) {
    throw new DriftlessError('INVALID_MANIFEST', `unsupported ${options.label} GVK: ${gvkText(obj)}`, {
      context: resourceContext(obj),
    });
  }
  try {
    return assess(obj);
  } catch (e) {
    if (!(e instanceof FieldTypeError)) throw e;
    const prefix = options.conversionPrefix ?? `failed to convert unstructured ${options.label} to typed`;
    throw new DriftlessError('INVALID_MANIFEST', `${prefix}: ${messageOf(e)}`, {
      cause: e,
      context: resourceContext(obj),
    });
  }
}
