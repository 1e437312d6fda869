/**
 * The comparison used when no server-side dry-run result is available. Live objects carry many
 * fields nobody wrote in git (server defaults, fields of other controllers); comparing them would
 * report drift that applying desired would never remove. So live is restricted to:
 *   - fields desired also has (lists of objects are paired by merge key, e.g. containers by name);
 *   - fields our field manager owns in live `managedFields` (we applied them earlier, so if desired
 *     no longer has them a server-side apply would delete them: that is drift);
 *   - fields of the `last-applied-configuration` annotation, for objects applied client side.
 * A list that cannot be paired item by item is kept whole, so any difference in it shows.
 */
import {
  cloneJson,
  type FieldPath,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type PathSegment,
} from './json-value.js';
import { pairLists } from './list-pairing.js';

interface KeepNode {
  all: boolean;
  readonly children: Map<PathSegment, KeepNode>;
}

export interface ProjectLiveOptions {
  readonly live: JsonObject;
  /** Shapes whose fields select live fields: desired, and last-applied when present. */
  readonly guides: readonly JsonObject[];
  /** Concrete live paths kept whole (fields owned by our field manager). */
  readonly ownedPaths: readonly FieldPath[];
}

export function projectLive(options: ProjectLiveOptions): JsonObject {
  const root: KeepNode = { all: false, children: new Map() };
  for (const guide of options.guides) markGuide(options.live, guide, root);
  for (const path of options.ownedPaths) {
    let node = root;
    for (const seg of path) node = childOf(node, seg);
    node.all = true;
  }
  // apiVersion and kind identify the object; they are always compared.
  childOf(root, 'apiVersion').all = true;
  childOf(root, 'kind').all = true;
  return project(options.live, root) as JsonObject;
}

function childOf(node: KeepNode, seg: PathSegment): KeepNode {
  let child = node.children.get(seg);
  if (child === undefined) {
    child = { all: false, children: new Map() };
    node.children.set(seg, child);
  }
  return child;
}

function markGuide(live: JsonValue, guide: JsonValue, node: KeepNode): void {
  if (isJsonObject(live) && isJsonObject(guide)) {
    for (const [k, g] of Object.entries(guide)) {
      if (Object.hasOwn(live, k)) markGuide(live[k]!, g, childOf(node, k));
    }
    return;
  }
  if (Array.isArray(live) && Array.isArray(guide)) {
    const pairing = pairLists(guide, live);
    if (pairing.kind === 'keyed') {
      for (const [gi, li] of pairing.pairs) markGuide(live[li]!, guide[gi]!, childOf(node, li));
      return;
    }
    if (pairing.kind === 'positional' && guide.every((g, i) => isJsonObject(g) && isJsonObject(live[i]))) {
      for (const [gi, li] of pairing.pairs) markGuide(live[li]!, guide[gi]!, childOf(node, li));
      return;
    }
  }
  node.all = true;
}

function project(value: JsonValue, node: KeepNode): JsonValue | undefined {
  if (node.all) return cloneJson(value);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, child] of node.children) {
      if (typeof k !== 'string' || !Object.hasOwn(value, k)) continue;
      const projected = project(value[k]!, child);
      if (projected !== undefined) out[k] = projected;
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    value.forEach((item, i) => {
      const child = node.children.get(i);
      if (child === undefined) return;
      const projected = project(item, child);
      if (projected !== undefined) out.push(projected);
    });
    return out;
  }
  return undefined;
}
