/**
 * `npm run bench -- pipeline`: the pipeline end to end in one process (dynalite, in-process queues,
 * the Kubernetes API emulator, a real git server):
 * 1. webhook-to-applied latency over 100 pushes to one app (p50 / p99), from the webhook request
 *    to the sync finished and its status stored;
 * 2. DynamoDB items read and written per sync (the store's counters);
 * 3. a monorepo of 1,000 Applications: a push touching one app renders exactly one.
 */
import { performance } from 'node:perf_hooks';
import {
  ARGOCD_SECRET,
  applicationYaml,
  configMapYaml,
  pushRequest,
  startEnvironment,
  startPipeline,
} from '../test/scenario/pipeline/pipeline-harness.js';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * The test git server writes request bodies to `git http-backend` without an error listener on its
 * stdin, so a backend that exits before reading everything kills the process with EPIPE. Only that
 * error is ignored here, for the benchmark's lifetime.
 */
function ignoreBackendEpipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

export async function run(_args: string[]): Promise<void> {
  process.on('uncaughtException', ignoreBackendEpipe);
  try {
    await measure();
  } finally {
    process.off('uncaughtException', ignoreBackendEpipe);
  }
}

async function measure(): Promise<void> {
  const env = await startEnvironment();
  try {
    // 1 and 2: one app, 100 pushes.
    let head = await env.git.createRepo('single', {
      files: { 'web/cm.yaml': configMapYaml('web', { push: '0' }) },
    });
    const repoURL = env.git.url('single');
    const pipeline = await startPipeline({
      env,
      configYaml:
        ARGOCD_SECRET +
        applicationYaml({ name: 'web', repoURL, path: 'web', namespace: 'web', policy: 'automated' }),
    });
    await pipeline.platform.reloadConfig();
    await pipeline.drain();
    const latencies: number[] = [];
    let reads = 0;
    let writes = 0;
    const pushes = 100;
    for (let i = 1; i <= pushes; i++) {
      const after = await env.git.commit('single', {
        branch: 'main',
        files: { 'web/cm.yaml': configMapYaml('web', { push: String(i) }) },
      });
      const before = pipeline.state.counters();
      const started = performance.now();
      const answer = await pipeline.platform.acceptWebhook(
        pushRequest({ repoURL, before: head, after, files: ['web/cm.yaml'], now: pipeline.clock.now() }),
      );
      if (answer.status !== 202) throw new Error(`push ${i}: webhook answered ${answer.status}`);
      await pipeline.drain();
      latencies.push(performance.now() - started);
      const afterCounters = pipeline.state.counters();
      reads += afterCounters.itemsRead - before.itemsRead;
      writes += afterCounters.itemsWritten - before.itemsWritten;
      head = after;
    }
    const app = await pipeline.platform.getApp('web');
    if (app?.status.sync.revision !== head) throw new Error('the last push was not applied');
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(`webhook-to-applied latency over ${pushes} pushes (one app, one ConfigMap):\n`);
    process.stdout.write(
      `  p50 ${percentile(sorted, 50).toFixed(1)} ms   p99 ${percentile(sorted, 99).toFixed(1)} ms   max ${sorted.at(-1)?.toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `DynamoDB items per push (webhook dedupe + refresh + sync + post-sync refresh): read ${(reads / pushes).toFixed(1)}, written ${(writes / pushes).toFixed(1)}\n`,
    );
    await pipeline.stop();

    // 3: a monorepo of 1,000 apps.
    const count = 1000;
    const files: Record<string, string> = {};
    let config = ARGOCD_SECRET;
    const monoURL = env.git.url('mono');
    for (let i = 0; i < count; i++) {
      files[`apps/app-${i}/cm.yaml`] = configMapYaml(`app-${i}`, { v: '1' });
      config += applicationYaml({
        name: `app-${i}`,
        repoURL: monoURL,
        path: `apps/app-${i}`,
        namespace: `mono-${i}`,
        policy: 'automated',
      });
    }
    const monoFirst = await env.git.createRepo('mono', { files });
    const mono = await startPipeline({ env, configYaml: config });
    const loadStarted = performance.now();
    await mono.platform.reloadConfig();
    const loadMs = performance.now() - loadStarted;
    // The reload queues a refresh per app; this benchmark is about the push, so they are dropped.
    for (;;) {
      const batch = await mono.intake.receive({ max: 10 });
      if (batch.length === 0) break;
      for (const m of batch) await mono.intake.ack(m.receiptHandle);
    }
    const second = await env.git.commit('mono', {
      branch: 'main',
      files: { 'apps/app-7/cm.yaml': configMapYaml('app-7', { v: '2' }) },
    });
    const pushStarted = performance.now();
    const answer = await mono.platform.acceptWebhook(
      pushRequest({
        repoURL: monoURL,
        before: monoFirst,
        after: second,
        files: ['apps/app-7/cm.yaml'],
        now: mono.clock.now(),
      }),
    );
    const webhookMs = performance.now() - pushStarted;
    await mono.drain();
    const renders = mono.metrics.values({ name: 'RenderDuration' }).length;
    process.stdout.write(
      `monorepo of ${count} Applications (config reload into the table: ${loadMs.toFixed(0)} ms):\n`,
    );
    process.stdout.write(
      `  push touching apps/app-7: webhook answered ${answer.status} in ${webhookMs.toFixed(1)} ms, queued [${answer.queued.join(', ')}], renders ${renders} (refresh + post-sync refresh of that one app)\n`,
    );
    await mono.stop();
  } finally {
    await env.stop();
  }
}
