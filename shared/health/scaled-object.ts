/**
 * KEDA's ScaledObject. Unlike the other condition checks every condition is read: Ready=False
 * or Fallback=True (a trigger failing over to its fallback replica count) is Degraded, Ready=True
 * is Healthy unless Paused=True makes it Suspended. The message is that of the last condition
 * that mattered, in list order, whichever status wins.
 */
import type { KubeObject } from '../model/index.js';
import { looseConditions } from './condition-status.js';
import { type HealthStatus, healthOf } from './health-status.js';

export function scaledObjectHealth(obj: KubeObject): HealthStatus {
  let message: string | undefined;
  let ready = false;
  let degraded = false;
  let paused = false;
  for (const c of looseConditions(obj)) {
    const readyFalse = c.type === 'Ready' && c.status === 'False';
    const readyTrue = c.type === 'Ready' && c.status === 'True';
    const pausedTrue = c.type === 'Paused' && c.status === 'True';
    const fallbackTrue = c.type === 'Fallback' && c.status === 'True';
    if (!(readyFalse || readyTrue || pausedTrue || fallbackTrue)) continue;
    message = c.message;
    degraded ||= readyFalse || fallbackTrue;
    ready ||= readyTrue;
    paused ||= pausedTrue;
  }
  if (degraded) return healthOf('Degraded', message);
  if (ready) return healthOf(paused ? 'Suspended' : 'Healthy', message);
  return healthOf('Progressing', 'Creating HorizontalPodAutoscaler Object');
}
