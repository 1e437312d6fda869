/**
 * A handful of the apiserver's defaulting rules, so that diffs against the emulator see the
 * server-filled fields a real cluster adds. Defaults fill only what is missing and are owned by no
 * field manager.
 */
import type { ResourceType } from './resource-registry.js';
import { isObject, type JsonObject } from './types.js';

function setMissing(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

function child(obj: JsonObject, key: string): JsonObject | undefined {
  const v = obj[key];
  return isObject(v) ? v : undefined;
}

function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  const image = typeof c.image === 'string' ? c.image : '';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tagged = lastSegment.includes(':') && !lastSegment.endsWith(':latest');
  setMissing(c, 'imagePullPolicy', tagged || image.includes('@') ? 'IfNotPresent' : 'Always');
  setMissing(c, 'terminationMessagePath', '/dev/termination-log');
  setMissing(c, 'terminationMessagePolicy', 'File');
  setMissing(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) setMissing(p, 'protocol', 'TCP');
}

export function defaultPodSpec(spec: JsonObject | undefined, restartPolicy = 'Always'): void {
  if (!spec) return;
  for (const list of ['containers', 'initContainers']) {
    const v = spec[list];
    if (Array.isArray(v)) v.forEach(defaultContainer);
  }
  setMissing(spec, 'restartPolicy', restartPolicy);
  setMissing(spec, 'dnsPolicy', 'ClusterFirst');
  setMissing(spec, 'schedulerName', 'default-scheduler');
  setMissing(spec, 'securityContext', {});
  setMissing(spec, 'terminationGracePeriodSeconds', 30);
}

function templateSpec(spec: JsonObject | undefined): JsonObject | undefined {
  const template = spec ? child(spec, 'template') : undefined;
  return template ? child(template, 'spec') : undefined;
}

export interface DefaultingContext {
  /** Hands out a ClusterIP for a new Service. */
  readonly allocateClusterIp: () => string;
}

export function applyDefaults(rt: ResourceType, obj: JsonObject, ctx: DefaultingContext): void {
  const spec = child(obj, 'spec');
  const key = `${rt.group}/${rt.kind}`;
  switch (key) {
    case 'apps/Deployment':
      if (!spec) return;
      setMissing(spec, 'replicas', 1);
      setMissing(spec, 'revisionHistoryLimit', 10);
      setMissing(spec, 'progressDeadlineSeconds', 600);
      setMissing(spec, 'strategy', {});
      {
        const strategy = child(spec, 'strategy');
        if (strategy) {
          setMissing(strategy, 'type', 'RollingUpdate');
          if (strategy.type === 'RollingUpdate') {
            setMissing(strategy, 'rollingUpdate', {});
            const ru = child(strategy, 'rollingUpdate');
            if (ru) {
              setMissing(ru, 'maxUnavailable', '25%');
              setMissing(ru, 'maxSurge', '25%');
            }
          }
        }
      }
      defaultPodSpec(templateSpec(spec));
      return;
    case 'apps/StatefulSet':
      if (!spec) return;
      setMissing(spec, 'replicas', 1);
      setMissing(spec, 'revisionHistoryLimit', 10);
      setMissing(spec, 'podManagementPolicy', 'OrderedReady');
      setMissing(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      defaultPodSpec(templateSpec(spec));
      return;
    case 'apps/DaemonSet':
      if (!spec) return;
      setMissing(spec, 'revisionHistoryLimit', 10);
      setMissing(spec, 'updateStrategy', {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      });
      defaultPodSpec(templateSpec(spec));
      return;
    case 'apps/ReplicaSet':
      if (!spec) return;
      setMissing(spec, 'replicas', 1);
      defaultPodSpec(templateSpec(spec));
      return;
    case 'batch/Job':
      if (!spec) return;
      setMissing(spec, 'backoffLimit', 6);
      setMissing(spec, 'completions', 1);
      setMissing(spec, 'parallelism', 1);
      setMissing(spec, 'completionMode', 'NonIndexed');
      setMissing(spec, 'suspend', false);
      defaultPodSpec(templateSpec(spec), 'Never');
      return;
    case 'batch/CronJob':
      if (!spec) return;
      setMissing(spec, 'concurrencyPolicy', 'Allow');
      setMissing(spec, 'suspend', false);
      setMissing(spec, 'successfulJobsHistoryLimit', 3);
      setMissing(spec, 'failedJobsHistoryLimit', 1);
      return;
    case '/Pod':
      defaultPodSpec(spec);
      return;
    case '/Service':
      if (!spec) return;
      setMissing(spec, 'type', 'ClusterIP');
      setMissing(spec, 'sessionAffinity', 'None');
      if (spec.type !== 'ExternalName') {
        setMissing(spec, 'clusterIP', ctx.allocateClusterIp());
        setMissing(spec, 'clusterIPs', [spec.clusterIP]);
        setMissing(spec, 'ipFamilies', ['IPv4']);
        setMissing(spec, 'ipFamilyPolicy', 'SingleStack');
        setMissing(spec, 'internalTrafficPolicy', 'Cluster');
      }
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports) {
          if (!isObject(p)) continue;
          setMissing(p, 'protocol', 'TCP');
          setMissing(p, 'targetPort', p.port);
        }
      }
      return;
    case '/Namespace':
      setMissing(obj, 'spec', { finalizers: ['kubernetes'] });
      return;
    case '/PersistentVolumeClaim':
      if (!spec) return;
      setMissing(spec, 'volumeMode', 'Filesystem');
      return;
  }
}
