/**
 * A line diff (Myers' O(ND) greedy algorithm, shortest edit script) and its grouping into unified
 * hunks. Inputs are YAML renderings of single objects, a few hundred lines at most.
 */
export type LineEdit =
  | { readonly op: 'equal'; readonly a: number; readonly b: number }
  | { readonly op: 'delete'; readonly a: number }
  | { readonly op: 'insert'; readonly b: number };

/** The edit script turning `a` into `b`, in order; indexes are 0-based line numbers. */
export function diffLines(a: readonly string[], b: readonly string[]): readonly LineEdit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  // Walk the trace backwards from (n, m) to recover the path.
  const edits: LineEdit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: 'equal', a: x, b: y });
    }
    if (d === 0) break;
    if (x === prevX) edits.push({ op: 'insert', b: prevY });
    else edits.push({ op: 'delete', a: prevX });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    edits.push({ op: 'equal', a: x, b: y });
  }
  return edits.reverse();
}

/** Unified hunks (`@@ -l,s +l,s @@` and ` `/`-`/`+` lines) with `context` lines around changes. */
export function unifiedHunks(a: readonly string[], b: readonly string[], context: number): readonly string[] {
  const edits = diffLines(a, b);
  const changed = edits.map((e, i) => (e.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return [];
  // Group change positions whose context windows touch.
  const groups: Array<[number, number]> = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last !== undefined && i - last[1] <= 2 * context + 1) last[1] = i;
    else groups.push([i, i]);
  }
  const lines: string[] = [];
  for (const [first, lastChange] of groups) {
    const start = Math.max(0, first - context);
    const end = Math.min(edits.length - 1, lastChange + context);
    const slice = edits.slice(start, end + 1);
    const aStart = firstLine(edits, start, 'a');
    const bStart = firstLine(edits, start, 'b');
    const aCount = slice.filter((e) => e.op !== 'insert').length;
    const bCount = slice.filter((e) => e.op !== 'delete').length;
    lines.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const e of slice) {
      if (e.op === 'equal') lines.push(` ${a[e.a]}`);
      else if (e.op === 'delete') lines.push(`-${a[e.a]}`);
      else lines.push(`+${b[e.b]}`);
    }
  }
  return lines;
}

/** 0-based index of the first line of side `side` at or after edit `from` (or the side's end). */
function firstLine(edits: readonly LineEdit[], from: number, side: 'a' | 'b'): number {
  for (let i = from; i < edits.length; i++) {
    const e = edits[i]!;
    if (side === 'a' && e.op !== 'insert') return e.a;
    if (side === 'b' && e.op !== 'delete') return e.b;
  }
  let count = 0;
  for (const e of edits) if (side === 'a' ? e.op !== 'insert' : e.op !== 'delete') count++;
  return count;
}

/** GNU diff's range notation: a count of 0 names the line before the (empty) range. */
function range(start0: number, count: number): string {
  if (count === 0) return `${start0},0`;
  return count === 1 ? `${start0 + 1}` : `${start0 + 1},${count}`;
}
