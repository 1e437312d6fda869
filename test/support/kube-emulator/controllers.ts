/**
 * Simulated controllers, so health checks see objects converge: Deployments create a ReplicaSet,
 * ReplicaSets create Pods, Pods turn Running/Ready, and status rolls up; StatefulSets and
 * DaemonSets roll out over two steps; Jobs run, then complete (or fail when told to); LoadBalancer
 * Services and Ingresses get an address; PVCs bind. Each reaction runs `stepMs` after the event
 * that caused it and writes through the apiserver like a real controller (new resourceVersion,
 * never a new generation).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type ApiServer, groupResourceOf } from './api-server.js';
import { rfc3339 } from './object-lifecycle.js';
import { metaOf, type StoreEvent } from './object-store.js';
import type { ResourceType } from './resource-registry.js';
import { clone, isObject, type JsonObject } from './types.js';

export const FAIL_ANNOTATION = 'emulator.driftless.dev/fail';
const MANAGER = 'kube-controller-manager';

export interface ControllerOptions {
  readonly stepMs: number;
}

type Reconciler = (rt: ResourceType, obj: JsonObject) => void;

const SAFE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function shortHash(v: unknown, length = 10): string {
  const bytes = createHash('sha256').update(JSON.stringify(v)).digest();
  return [...bytes.subarray(0, length)].map((b) => SAFE_CHARS[b % SAFE_CHARS.length]).join('');
}

function suffix(): string {
  return [...randomBytes(5)].map((b) => SAFE_CHARS[b % SAFE_CHARS.length]).join('');
}

function spec(obj: JsonObject): JsonObject {
  return isObject(obj.spec) ? obj.spec : {};
}

function status(obj: JsonObject): JsonObject {
  return isObject(obj.status) ? obj.status : {};
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

function condition(
  type: string,
  value: boolean,
  reason: string,
  message: string,
  now: string,
  previous: unknown,
): JsonObject {
  const prev = Array.isArray(previous) ? previous.find((c) => isObject(c) && c.type === type) : undefined;
  const keep = isObject(prev) && prev.status === (value ? 'True' : 'False');
  return {
    type,
    status: value ? 'True' : 'False',
    lastUpdateTime: keep && prev.reason === reason ? prev.lastUpdateTime : now,
    lastTransitionTime: keep ? prev.lastTransitionTime : now,
    reason,
    message,
  };
}

function ownerRef(rt: ResourceType, obj: JsonObject): JsonObject {
  const m = metaOf(obj);
  return {
    apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version,
    kind: rt.kind,
    name: m.name,
    uid: m.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(obj: JsonObject, uid: unknown): boolean {
  const refs = metaOf(obj).ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isObject(r) && r.uid === uid);
}

export class Controllers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failing = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private readonly reconcilers: Record<string, Reconciler> = {
    'apps/Deployment': (rt, o) => this.deployment(rt, o),
    'apps/ReplicaSet': (rt, o) => this.replicaSet(rt, o),
    'apps/StatefulSet': (rt, o) => this.statefulSet(rt, o),
    'apps/DaemonSet': (rt, o) => this.daemonSet(rt, o),
    'batch/Job': (rt, o) => this.job(rt, o),
    '/Pod': (rt, o) => this.pod(rt, o),
    '/Service': (rt, o) => this.loadBalancer(rt, o, (x) => spec(x).type === 'LoadBalancer'),
    'networking.k8s.io/Ingress': (rt, o) => this.loadBalancer(rt, o, () => true),
    '/PersistentVolumeClaim': (rt, o) => this.claim(rt, o),
  };

  constructor(
    private readonly api: ApiServer,
    private readonly options: ControllerOptions,
  ) {}

  start(): void {
    this.unsubscribe ??= this.api.store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  failJob(namespace: string, name: string): void {
    this.failing.add(`${namespace}/${name}`);
    const rt = this.api.registry.findKind('batch', 'Job');
    if (rt) this.schedule(rt, namespace, name);
  }

  private typeOf(groupResource: string): ResourceType | undefined {
    return this.api.registry.all().find((rt) => groupResourceOf(rt) === groupResource);
  }

  private onEvent(e: StoreEvent): void {
    if (e.type === 'DELETED') {
      // An owner notices when one of its children disappears.
      this.scheduleOwners(e.object);
      return;
    }
    const rt = this.typeOf(e.groupResource);
    if (!rt) return;
    const m = metaOf(e.object);
    if (this.reconcilers[`${rt.group}/${rt.kind}`])
      this.schedule(rt, String(m.namespace ?? ''), String(m.name));
    this.scheduleOwners(e.object);
  }

  private scheduleOwners(obj: JsonObject): void {
    const refs = metaOf(obj).ownerReferences;
    if (!Array.isArray(refs)) return;
    for (const r of refs) {
      if (!isObject(r) || r.controller !== true) continue;
      const apiVersion = String(r.apiVersion ?? '');
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const rt = this.api.registry.findKind(group, String(r.kind ?? ''));
      if (rt) this.schedule(rt, String(metaOf(obj).namespace ?? ''), String(r.name ?? ''));
    }
  }

  private schedule(rt: ResourceType, namespace: string, name: string): void {
    if (!this.unsubscribe) return;
    const key = `${groupResourceOf(rt)}|${namespace}|${name}`;
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const obj = this.api.store.get(groupResourceOf(rt), rt.namespaced ? namespace : '', name);
      const reconcile = this.reconcilers[`${rt.group}/${rt.kind}`];
      if (obj && reconcile && !metaOf(obj).deletionTimestamp) reconcile(rt, obj);
    }, this.options.stepMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private now(): string {
    return rfc3339(new Date());
  }

  private setStatus(
    rt: ResourceType,
    obj: JsonObject,
    manager: string,
    next: (current: JsonObject) => JsonObject,
  ): void {
    const m = metaOf(obj);
    this.api.writeStatus(rt, String(m.namespace ?? ''), String(m.name), manager, (o) => {
      o.status = next(clone(status(o)));
    });
  }

  private deployment(rt: ResourceType, d: JsonObject): void {
    const m = metaOf(d);
    const ns = String(m.namespace ?? '');
    const desired = num(spec(d).replicas, 1);
    const template = isObject(spec(d).template) ? spec(d).template : {};
    const hash = shortHash(template);
    const rsName = `${String(m.name)}-${hash}`;
    const rsType = this.api.registry.findKind('apps', 'ReplicaSet');
    if (!rsType) return;
    const owned = this.api.store.list(groupResourceOf(rsType), ns).filter((rs) => ownedBy(rs, m.uid));
    for (const old of owned)
      if (metaOf(old).name !== rsName) this.api.removeNow(rsType, ns, String(metaOf(old).name));
    let rs = owned.find((x) => metaOf(x).name === rsName);
    const selector: JsonObject = isObject(spec(d).selector) ? (spec(d).selector as JsonObject) : {};
    const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
    const templateMeta = isObject((template as JsonObject).metadata)
      ? ((template as JsonObject).metadata as JsonObject)
      : {};
    const podLabels = {
      ...(isObject(templateMeta.labels) ? templateMeta.labels : {}),
      'pod-template-hash': hash,
    };
    if (!rs) {
      this.api.create(
        { rt: rsType, namespace: ns },
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace: ns,
            labels: podLabels,
            annotations: {
              'deployment.kubernetes.io/desired-replicas': String(desired),
              'deployment.kubernetes.io/revision': '1',
            },
            ownerReferences: [ownerRef(rt, d)],
          },
          spec: {
            replicas: desired,
            selector: { matchLabels: { ...matchLabels, 'pod-template-hash': hash } },
            template: { ...clone(template as JsonObject), metadata: { ...templateMeta, labels: podLabels } },
          },
        },
        { dryRun: false, fieldManager: MANAGER },
      );
      rs = this.api.store.get(groupResourceOf(rsType), ns, rsName);
    } else if (num(spec(rs).replicas, 1) !== desired) {
      const scaled = clone(rs);
      spec(scaled).replicas = desired;
      this.api.update({ rt: rsType, namespace: ns, name: rsName }, scaled, {
        dryRun: false,
        fieldManager: MANAGER,
      });
    }
    const rsStatus = rs ? status(rs) : {};
    const ready = Math.min(num(rsStatus.readyReplicas, 0), desired);
    const available = Math.min(num(rsStatus.availableReplicas, 0), desired);
    const now = this.now();
    this.setStatus(rt, d, MANAGER, (s) => {
      const done = available >= desired;
      const out: JsonObject = {
        observedGeneration: m.generation,
        replicas: desired,
        updatedReplicas: desired,
        readyReplicas: ready,
        availableReplicas: available,
      };
      if (!done) out.unavailableReplicas = desired - available;
      if (ready === 0) delete out.readyReplicas;
      if (available === 0) delete out.availableReplicas;
      out.conditions = [
        done
          ? condition(
              'Available',
              true,
              'MinimumReplicasAvailable',
              'Deployment has minimum availability.',
              now,
              s.conditions,
            )
          : condition(
              'Available',
              false,
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
              now,
              s.conditions,
            ),
        done
          ? condition(
              'Progressing',
              true,
              'NewReplicaSetAvailable',
              `ReplicaSet "${rsName}" has successfully progressed.`,
              now,
              s.conditions,
            )
          : condition(
              'Progressing',
              true,
              'ReplicaSetUpdated',
              `ReplicaSet "${rsName}" is progressing.`,
              now,
              s.conditions,
            ),
      ];
      return out;
    });
  }

  private replicaSet(rt: ResourceType, rs: JsonObject): void {
    const m = metaOf(rs);
    const ns = String(m.namespace ?? '');
    const desired = num(spec(rs).replicas, 1);
    const podType = this.api.registry.findKind('', 'Pod');
    if (!podType) return;
    const pods = this.api.store.list(groupResourceOf(podType), ns).filter((p) => ownedBy(p, m.uid));
    const template = isObject(spec(rs).template) ? spec(rs).template : {};
    const templateMeta = isObject((template as JsonObject).metadata)
      ? ((template as JsonObject).metadata as JsonObject)
      : {};
    for (let i = pods.length; i < desired; i++) {
      this.api.create(
        { rt: podType, namespace: ns },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            ...clone(templateMeta),
            name: `${String(m.name)}-${suffix()}`,
            namespace: ns,
            ownerReferences: [ownerRef(rt, rs)],
          },
          spec: clone(isObject((template as JsonObject).spec) ? (template as JsonObject).spec : {}),
        },
        { dryRun: false, fieldManager: MANAGER },
      );
    }
    for (const extra of pods.slice(desired)) this.api.removeNow(podType, ns, String(metaOf(extra).name));
    const live = pods.slice(0, desired);
    const ready = live.filter((p) => status(p).phase === 'Running').length;
    this.setStatus(rt, rs, MANAGER, () => {
      const out: JsonObject = { replicas: Math.max(live.length, 0), fullyLabeledReplicas: live.length };
      if (ready > 0) {
        out.readyReplicas = ready;
        out.availableReplicas = ready;
      }
      out.observedGeneration = m.generation;
      return out;
    });
  }

  private pod(rt: ResourceType, p: JsonObject): void {
    if (status(p).phase === 'Running') return;
    const now = this.now();
    const containers = Array.isArray(spec(p).containers) ? spec(p).containers : [];
    this.setStatus(rt, p, 'kubelet', () => ({
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
      })),
      hostIP: '10.0.0.10',
      podIP: `10.244.0.${(Number(metaOf(p).resourceVersion) % 250) + 2}`,
      startTime: now,
      containerStatuses: (containers as unknown[]).filter(isObject).map((c) => ({
        name: c.name,
        state: { running: { startedAt: now } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: c.image,
        imageID: '',
        containerID: `containerd://${shortHash([metaOf(p).uid, c.name], 32)}`,
        started: true,
      })),
      qosClass: 'BestEffort',
    }));
  }

  /** Two steps: first observed and rolling, then every replica ready. */
  private statefulSet(rt: ResourceType, s: JsonObject): void {
    const m = metaOf(s);
    const desired = num(spec(s).replicas, 1);
    const revision = `${String(m.name)}-${shortHash(spec(s).template)}`;
    this.setStatus(rt, s, MANAGER, (cur) => {
      const started = cur.observedGeneration === m.generation && cur.updateRevision === revision;
      const ready = started ? desired : 0;
      return {
        observedGeneration: m.generation,
        replicas: desired,
        ...(ready > 0 ? { readyReplicas: ready, currentReplicas: ready, updatedReplicas: ready } : {}),
        currentRevision: ready === desired ? revision : (cur.currentRevision ?? revision),
        updateRevision: revision,
        collisionCount: 0,
        availableReplicas: ready,
      };
    });
  }

  private daemonSet(rt: ResourceType, ds: JsonObject): void {
    const m = metaOf(ds);
    this.setStatus(rt, ds, MANAGER, (cur) => {
      const started = cur.observedGeneration === m.generation;
      const n = started ? 1 : 0;
      return {
        currentNumberScheduled: 1,
        numberMisscheduled: 0,
        desiredNumberScheduled: 1,
        numberReady: n,
        observedGeneration: m.generation,
        updatedNumberScheduled: n,
        numberAvailable: n,
        ...(n === 0 ? { numberUnavailable: 1 } : {}),
      };
    });
  }

  /** Two steps: active, then Complete (or Failed when told to). */
  private job(rt: ResourceType, j: JsonObject): void {
    const m = metaOf(j);
    if (spec(j).suspend === true) return;
    const cur = status(j);
    if (
      Array.isArray(cur.conditions) &&
      cur.conditions.some((c) => isObject(c) && (c.type === 'Complete' || c.type === 'Failed'))
    )
      return;
    const now = this.now();
    if (cur.active === undefined) {
      this.setStatus(rt, j, MANAGER, () => ({
        startTime: now,
        active: 1,
        terminating: 0,
        ready: 0,
        uncountedTerminatedPods: {},
      }));
      return;
    }
    const annotations = isObject(m.annotations) ? m.annotations : {};
    const fail =
      annotations[FAIL_ANNOTATION] === 'true' ||
      this.failing.has(`${String(m.namespace ?? '')}/${String(m.name)}`);
    this.setStatus(rt, j, MANAGER, (s) => {
      const base: JsonObject = {
        startTime: s.startTime ?? now,
        terminating: 0,
        ready: 0,
        uncountedTerminatedPods: {},
      };
      if (fail) {
        const message = 'Job has reached the specified backoff limit';
        return {
          ...base,
          conditions: [
            {
              type: 'FailureTarget',
              status: 'True',
              lastProbeTime: now,
              lastTransitionTime: now,
              reason: 'BackoffLimitExceeded',
              message,
            },
            {
              type: 'Failed',
              status: 'True',
              lastProbeTime: now,
              lastTransitionTime: now,
              reason: 'BackoffLimitExceeded',
              message,
            },
          ],
          failed: num(spec(j).backoffLimit, 6) + 1,
        };
      }
      const message = 'Reached expected number of succeeded pods';
      return {
        ...base,
        conditions: [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            lastProbeTime: now,
            lastTransitionTime: now,
            reason: 'CompletionsReached',
            message,
          },
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: now,
            lastTransitionTime: now,
            reason: 'CompletionsReached',
            message,
          },
        ],
        completionTime: now,
        succeeded: num(spec(j).completions, 1),
      };
    });
  }

  private loadBalancer(rt: ResourceType, obj: JsonObject, applies: (o: JsonObject) => boolean): void {
    if (!applies(obj)) return;
    const m = metaOf(obj);
    const hostname = `${String(m.name)}-${String(m.namespace ?? '')}-${shortHash(m.uid, 8)}.elb.emulator.local`;
    this.setStatus(rt, obj, MANAGER, (s) => ({ ...s, loadBalancer: { ingress: [{ hostname }] } }));
  }

  private claim(rt: ResourceType, pvc: JsonObject): void {
    const s = spec(pvc);
    const resources = isObject(s.resources) ? s.resources : {};
    this.setStatus(rt, pvc, MANAGER, () => ({
      phase: 'Bound',
      accessModes: s.accessModes ?? ['ReadWriteOnce'],
      capacity: isObject(resources.requests) ? resources.requests : {},
    }));
  }
}
