/**
 * Pod (v1). Pods that restart forever (restartPolicy Always) are long-running: a crash-looping or
 * unpullable container makes them Degraded at once. Pods with OnFailure/Never are finite, usually
 * hooks, and stay Progressing while Running, so that a hook is not failed early and then re-run
 * once its image appears. The annotation `argocd.argoproj.io/ignore-restart-policy: "true"` asks
 * for the long-running treatment anyway, except on a hook.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { isHook } from './hook-annotations.js';
import { conditionsAt, type FieldPath, fieldAt, intField, listField, stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export const IGNORE_RESTART_POLICY_ANNOTATION = 'argocd.argoproj.io/ignore-restart-policy';

export function podHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'Pod', apiVersions: ['v1'] }, assess);
}

function isLongRunning(obj: KubeObject, restartPolicy: string): boolean {
  if (restartPolicy === 'Always') return true;
  return obj.metadata?.annotations?.[IGNORE_RESTART_POLICY_ANNOTATION] === 'true' && !isHook(obj);
}

function isContainerError(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

/** The message a terminated container contributes to a Failed pod, or '' if none. */
function failureMessage(obj: KubeObject, status: FieldPath): string {
  const terminated = [...status, 'state', 'terminated'];
  if (fieldAt(obj, terminated) === undefined) return '';
  const message = stringField(obj, [...terminated, 'message']);
  if (message !== '') return message;
  if (stringField(obj, [...terminated, 'reason']) === 'OOMKilled') return 'OOMKilled';
  const exitCode = intField(obj, [...terminated, 'exitCode']);
  if (exitCode !== 0) {
    return `container ${JSON.stringify(stringField(obj, [...status, 'name']))} failed with exit code ${exitCode}`;
  }
  return '';
}

function containerStatusPaths(obj: KubeObject, field: string): readonly FieldPath[] {
  return listField(obj, ['status', field]).map((_, i) => ['status', field, i]);
}

function assess(obj: KubeObject): HealthStatus {
  const restartPolicy = stringField(obj, ['spec', 'restartPolicy']);
  const longRunning = isLongRunning(obj, restartPolicy);
  const containers = containerStatusPaths(obj, 'containerStatuses');
  const statusMessage = stringField(obj, ['status', 'message']);

  if (longRunning) {
    const waitingErrors = containers.filter((c) =>
      isContainerError(stringField(obj, [...c, 'state', 'waiting', 'reason'])),
    );
    if (waitingErrors.length > 0) {
      return healthOf(
        'Degraded',
        waitingErrors.map((c) => stringField(obj, [...c, 'state', 'waiting', 'message'])).join(', '),
      );
    }
  }

  switch (stringField(obj, ['status', 'phase'])) {
    case 'Pending':
      return healthOf('Progressing', statusMessage);
    case 'Succeeded':
      return healthOf('Healthy', statusMessage);
    case 'Failed': {
      if (statusMessage !== '') return healthOf('Degraded', statusMessage);
      for (const c of [...containerStatusPaths(obj, 'initContainerStatuses'), ...containers]) {
        const message = failureMessage(obj, c);
        if (message !== '') return healthOf('Degraded', message);
      }
      return healthOf('Degraded');
    }
    case 'Running': {
      if (longRunning) {
        const ready = conditionsAt(obj, ['status', 'conditions']).find((c) => c.type === 'Ready');
        if (ready?.status === 'True') return healthOf('Healthy', statusMessage);
        const restarted = containers.some(
          (c) => fieldAt(obj, [...c, 'lastState', 'terminated']) !== undefined,
        );
        return healthOf(restarted ? 'Degraded' : 'Progressing', statusMessage);
      }
      if (restartPolicy === 'OnFailure' || restartPolicy === 'Never') {
        return healthOf('Progressing', statusMessage);
      }
      return healthOf('Unknown', statusMessage);
    }
    default:
      return healthOf('Unknown', statusMessage);
  }
}
