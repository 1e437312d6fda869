/**
 * Writes files that must not live in the repository as fixtures (YAML that is invalid on
 * purpose, Helm templates) into a fresh temporary directory.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export async function scratchTree(files: Readonly<Record<string, string>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'driftless-model-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

export const BROKEN_YAML = [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata:',
  '  name: fine',
  'spec:',
  '  source: {repoURL: https://git.example.com/a.git}',
  '  destination: {server: https://kubernetes.default.svc}',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: broken',
  'data:',
  '  key: [unclosed',
  '',
].join('\n');

export const HELM_CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: sample\nversion: 0.1.0\n',
  'chart/templates/deployment.yaml': 'metadata:\n  labels: {{- include "sample.labels" . | nindent 4 }}\n',
};
