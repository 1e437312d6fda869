/**
 * The cluster generator: one parameter set per declared cluster whose Secret labels match
 * `selector`, plus the in-cluster default (first, and only with an empty selector, since it has
 * no Secret to carry labels). Parameters: `name`, `nameNormalized`, `server`, the Secret's
 * labels and annotations (`metadata.labels.<k>` flat, or nested under `metadata` for
 * goTemplate) and templated `values`. `flatList: true` yields one set with a `clusters` list.
 */
import { isEmptySelector, readSelector, selectorMatches } from '../label-selector.js';
import { sanitizeName } from '../names.js';
import type { ParamSet } from '../params.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../sources.js';
import type { LeafGenerator } from './generator-run.js';
import { withValues } from './values.js';

export const clustersGenerator: LeafGenerator = async (body, at, run) => {
  const selector = readSelector(body.selector, `${at}.selector`);
  const declared = run.sources.clusters ?? [];
  const out: ParamSet[] = [];
  const hasInClusterSecret = declared.some((c) => c.server === IN_CLUSTER_SERVER);
  if (run.sources.inClusterEnabled !== false && !hasInClusterSecret && isEmptySelector(selector)) {
    const params = { name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER };
    out.push(withValues(params, body.values, at, run.mode));
  }
  for (const cluster of declared) {
    if (!selectorMatches(selector, cluster.labels)) continue;
    const params: Record<string, unknown> = {
      name: cluster.name,
      nameNormalized: sanitizeName(cluster.name),
      server: cluster.server,
    };
    if (run.mode.goTemplate) {
      const metadata: Record<string, unknown> = {};
      if (Object.keys(cluster.annotations).length > 0) metadata.annotations = { ...cluster.annotations };
      if (Object.keys(cluster.labels).length > 0) metadata.labels = { ...cluster.labels };
      params.metadata = metadata;
    } else {
      for (const [key, value] of Object.entries(cluster.annotations))
        params[`metadata.annotations.${key}`] = value;
      for (const [key, value] of Object.entries(cluster.labels)) params[`metadata.labels.${key}`] = value;
    }
    out.push(withValues(params, body.values, at, run.mode));
  }
  if (body.flatList === true) return [{ clusters: out }];
  return out;
};
