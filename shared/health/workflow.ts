/**
 * Argo Workflow (argoproj.io, any version): only status.phase and status.message are read, so the
 * check works across Workflow API versions.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function workflowHealth(obj: KubeObject): HealthStatus {
  return typedCheck(
    obj,
    { label: 'Workflow', conversionPrefix: 'failed to convert unstructured to argoworkflow' },
    assessWorkflow,
  );
}

/** The phase rule alone, for objects that carry no apiVersion/kind (Argo CD tests call it so). */
export function assessWorkflow(obj: unknown): HealthStatus {
  const message = stringField(obj, ['status', 'message']);
  switch (stringField(obj, ['status', 'phase'])) {
    case '':
    case 'Pending':
    case 'Running':
      return healthOf('Progressing', message);
    case 'Succeeded':
      return healthOf('Healthy', message);
    case 'Failed':
    case 'Error':
      return healthOf('Degraded', message);
    default:
      return healthOf('Unknown', message);
  }
}
