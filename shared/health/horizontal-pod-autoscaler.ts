/**
 * HorizontalPodAutoscaler (autoscaling v1 and v2). v1 carries its conditions as JSON in an
 * annotation; v2 in status.conditions. Every condition is searched for a failure first, so a
 * metric that cannot be read is Degraded even when an earlier condition says AbleToScale=True.
 * The failure's condition status is not looked at: the reason alone says what went wrong.
 */
import { DriftlessError, messageOf } from '../errors/index.js';
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { type Condition, conditionsAt } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

const WAITING: HealthStatus = healthOf('Progressing', 'Waiting to Autoscale');

const DEGRADED_REASONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['AbleToScale', new Set(['FailedGetScale', 'FailedUpdateScale'])],
  [
    'ScalingActive',
    new Set([
      'FailedGetResourceMetric',
      'FailedGetObjectMetric',
      'FailedGetPodsMetric',
      'FailedGetExternalMetric',
      'FailedComputeMetricsReplicas',
      'InvalidSelector',
    ]),
  ],
]);

export function horizontalPodAutoscalerHealth(obj: KubeObject): HealthStatus {
  return typedCheck(
    obj,
    {
      label: 'HPA',
      apiVersions: ['autoscaling/v1', 'autoscaling/v2'],
      conversionPrefix: 'failed to convert unstructured HPA to typed',
    },
    (o) => {
      const conditions =
        o.apiVersion === 'autoscaling/v1'
          ? annotationConditions(o)
          : conditionsAt(o, ['status', 'conditions']);
      return conditions.length === 0 ? WAITING : judge(conditions);
    },
  );
}

function judge(conditions: readonly Condition[]): HealthStatus {
  const failure = conditions.find((c) => DEGRADED_REASONS.get(c.type)?.has(c.reason) === true);
  if (failure !== undefined) return healthOf('Degraded', failure.message);
  const scaling = conditions.find(
    (c) => (c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True',
  );
  if (scaling !== undefined) return healthOf('Healthy', scaling.message);
  return WAITING;
}

function annotationConditions(obj: KubeObject): readonly Condition[] {
  const text = obj.metadata?.annotations?.[HPA_CONDITIONS_ANNOTATION];
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw conditionsError(obj, messageOf(e));
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw conditionsError(obj, 'expected a JSON array of conditions');
  return parsed.map((entry, i) => conditionFromJson(obj, entry, i));
}

/** Decodes like Go's encoding/json into a struct without tags: keys match field names case-insensitively. */
function conditionFromJson(obj: KubeObject, entry: unknown, index: number): Condition {
  const fields: Record<'type' | 'status' | 'reason' | 'message', string> = {
    type: '',
    status: '',
    reason: '',
    message: '',
  };
  if (entry === null) return fields;
  if (typeof entry !== 'object' || Array.isArray(entry)) {
    throw conditionsError(obj, `condition [${index}] is not an object`);
  }
  for (const [key, value] of Object.entries(entry)) {
    const name = key.toLowerCase();
    if (name !== 'type' && name !== 'status' && name !== 'reason' && name !== 'message') continue;
    if (value === null) continue;
    if (typeof value !== 'string') throw conditionsError(obj, `condition [${index}].${key} is not a string`);
    fields[name] = value;
  }
  return fields;
}

function conditionsError(obj: KubeObject, reason: string): DriftlessError {
  return new DriftlessError(
    'INVALID_MANIFEST',
    `failed to convert conditions annotation to typed: ${reason}`,
    {
      context: {
        kind: obj.kind,
        namespace: obj.metadata?.namespace ?? '',
        name: obj.metadata?.name ?? '',
        annotation: HPA_CONDITIONS_ANNOTATION,
      },
    },
  );
}
