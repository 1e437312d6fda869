/**
 * YAML for diffs: keys sorted, no line folding, sequences not indented under their key — the
 * layout of `kubectl get -o yaml` and of Argo CD's diff output, so the same change produces the
 * same lines every time.
 */
import { stringify } from 'yaml';

export function renderYaml(value: unknown): string {
  if (value === undefined || value === null) return '';
  return stringify(value, {
    sortMapEntries: true,
    lineWidth: 0,
    indentSeq: false,
    aliasDuplicateObjects: false,
  });
}
