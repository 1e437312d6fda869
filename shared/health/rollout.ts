/**
 * Argo Rollouts' Rollout, as Argo CD's bundled check judges it. Since Rollouts v1.0 the
 * controller writes its own verdict to status.phase/message, which is surfaced as is (Paused
 * becomes Suspended); the older path (conditions, pause, replica counts, blue-green cutover and
 * canary steps) still applies to objects without a phase. Rollouts before v0.10 had no numeric
 * observedGeneration, so a missing or non-numeric one counts as observed.
 */
import { DriftlessError } from '../errors/index.js';
import type { KubeObject } from '../model/index.js';
import { looseConditions } from './condition-status.js';
import { HEALTH_ORDER, type HealthStatus, type HealthStatusCode, healthOf } from './health-status.js';
import { type FieldPath, FieldTypeError, fieldAt, listField } from './object-fields.js';

const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';

/** A number, or a string holding one; anything else counts as no number at all. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** A count that is compared with others: absent means the default, any other type fails. */
function count(obj: KubeObject, path: FieldPath, fallback: number): number {
  const value = fieldAt(obj, path);
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new FieldTypeError(path, 'number', value);
  return value;
}

function missing(obj: KubeObject, field: string): DriftlessError {
  const name = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
  return new DriftlessError('INVALID_MANIFEST', `Rollout ${name}: ${field} is missing`, {
    context: { kind: 'Rollout', name, field },
  });
}

function isGenerationObserved(obj: KubeObject): boolean {
  const observed = numeric(fieldAt(obj, ['status', 'observedGeneration']));
  if (observed === undefined) return true;
  const generation = fieldAt(obj, ['metadata', 'generation']);
  if (typeof generation !== 'number') throw missing(obj, 'metadata.generation');
  return observed >= generation;
}

function isWorkloadGenerationObserved(obj: KubeObject): boolean {
  if (fieldAt(obj, ['spec']) === undefined) throw missing(obj, 'spec');
  const annotations = obj.metadata?.annotations;
  if (fieldAt(obj, ['spec', 'workloadRef']) === undefined || annotations === undefined) return true;
  return (
    numeric(annotations[WORKLOAD_GENERATION_ANNOTATION]) ===
    numeric(fieldAt(obj, ['status', 'workloadObservedGeneration']))
  );
}

function isStatusCode(value: string): value is HealthStatusCode {
  return (HEALTH_ORDER as readonly string[]).includes(value);
}

function phaseHealth(obj: KubeObject, phase: unknown): HealthStatus {
  const message = fieldAt(obj, ['status', 'message']);
  const text = typeof message === 'string' ? message : undefined;
  if (phase === 'Paused') return healthOf('Suspended', text);
  // Argo CD refuses a status outside its six codes from any custom check.
  if (typeof phase !== 'string' || !isStatusCode(phase)) {
    return healthOf('Unknown', 'Lua returned an invalid health status');
  }
  return healthOf(phase, text);
}

function conditionVerdict(obj: KubeObject): HealthStatus | undefined {
  if (fieldAt(obj, ['status', 'conditions']) === undefined) throw missing(obj, 'status.conditions');
  for (const c of looseConditions(obj)) {
    const aborted =
      c.type === 'Progressing' && (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded');
    if (c.type === 'InvalidSpec' || aborted) return healthOf('Degraded', c.message);
  }
  return undefined;
}

function isPaused(obj: KubeObject): boolean {
  if (listField(obj, ['status', 'pauseConditions']).length > 0) return true;
  const paused = fieldAt(obj, ['spec', 'paused']);
  return paused !== undefined && paused !== false;
}

function stableReplicaSet(obj: KubeObject): unknown {
  const stable = fieldAt(obj, ['status', 'stableRS']);
  if (stable !== undefined) return stable;
  // Rollouts before v0.8 kept it under status.canary.
  if (fieldAt(obj, ['status', 'canary']) !== undefined) return fieldAt(obj, ['status', 'canary', 'stableRS']);
  return '';
}

export function rolloutHealth(obj: KubeObject): HealthStatus {
  if (
    fieldAt(obj, ['status']) === undefined ||
    !isGenerationObserved(obj) ||
    !isWorkloadGenerationObserved(obj)
  ) {
    return healthOf('Progressing', 'Waiting for rollout spec update to be observed');
  }
  const phase = fieldAt(obj, ['status', 'phase']);
  if (phase !== undefined) return phaseHealth(obj, phase);

  const verdict = conditionVerdict(obj);
  if (verdict) return verdict;
  if (isPaused(obj)) return healthOf('Suspended', 'Rollout is paused');

  const podHash = fieldAt(obj, ['status', 'currentPodHash']);
  if (podHash === undefined) {
    return healthOf('Progressing', 'Waiting for rollout to finish: status has not been reconciled.');
  }
  const desired = count(obj, ['spec', 'replicas'], 1);
  const current = count(obj, ['status', 'replicas'], 0);
  const updated = count(obj, ['status', 'updatedReplicas'], 0);
  const available = count(obj, ['status', 'availableReplicas'], 0);
  if (updated < desired) {
    return healthOf('Progressing', 'Waiting for roll out to finish: More replicas need to be updated');
  }
  if (available < updated) {
    return healthOf(
      'Progressing',
      'Waiting for roll out to finish: updated replicas are still becoming available',
    );
  }

  if (fieldAt(obj, ['spec', 'strategy']) === undefined) throw missing(obj, 'spec.strategy');
  const stable = stableReplicaSet(obj);
  if (fieldAt(obj, ['spec', 'strategy', 'blueGreen']) !== undefined) {
    if (fieldAt(obj, ['status', 'blueGreen', 'activeSelector']) !== podHash) {
      return healthOf('Progressing', 'active service cutover pending');
    }
    // Blue-green before v0.8 recorded no stable ReplicaSet; an empty one is not a pending analysis.
    if (stable !== '' && stable !== podHash)
      return healthOf('Progressing', 'waiting for analysis to complete');
  } else if (fieldAt(obj, ['spec', 'strategy', 'canary']) !== undefined) {
    if (current > updated) {
      return healthOf('Progressing', 'Waiting for roll out to finish: old replicas are pending termination');
    }
    if (stable === '' || stable !== podHash)
      return healthOf('Progressing', 'Waiting for rollout to finish steps');
  }
  return healthOf('Healthy');
}
