/**
 * Fault injection: rules matched against each resource request by verb, resource and kind. A
 * rule with `share` hits deterministically every Nth match (N = 1/share), so tests can count.
 */
import type { FaultRule, RequestVerb } from './types.js';

export interface FaultSubject {
  readonly verb: RequestVerb;
  readonly resource: string;
  readonly kind: string;
}

export type FaultAction =
  | { readonly kind: 'none'; readonly latencyMs: number }
  | { readonly kind: 'status'; readonly status: 500 | 502 | 503 | 429; readonly latencyMs: number }
  | { readonly kind: 'drop'; readonly latencyMs: number };

interface ActiveRule {
  readonly rule: FaultRule;
  matched: number;
  injected: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): () => void {
    const active: ActiveRule = { rule: { ...rule }, matched: 0, injected: 0 };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Decides the fault for one request; the first rule that fires wins. */
  decide(subject: FaultSubject): FaultAction {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.verb !== undefined && rule.verb !== subject.verb) continue;
      if (rule.resource !== undefined && rule.resource !== subject.resource) continue;
      if (rule.kind !== undefined && rule.kind !== subject.kind) continue;
      if (rule.times !== undefined && active.injected >= rule.times) continue;
      active.matched += 1;
      const share = rule.share ?? 1;
      const fires =
        Math.floor(active.matched * share + 1e-9) > Math.floor((active.matched - 1) * share + 1e-9);
      if (!fires) continue;
      active.injected += 1;
      const latencyMs = rule.latencyMs ?? 0;
      if (rule.drop) return { kind: 'drop', latencyMs };
      if (rule.status) return { kind: 'status', status: rule.status, latencyMs };
      return { kind: 'none', latencyMs };
    }
    return { kind: 'none', latencyMs: 0 };
  }
}
