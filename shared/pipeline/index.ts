/**
 * The pipeline: webhooks in, state in the table, syncs and drift checks out. Pure TypeScript over
 * ports (deps.ts), composed once by createPlatform and shared by the Lambda handlers, the local
 * server, tests and benchmarks.
 *
 * The flow of one push:
 * 1. intake (acceptWebhook): verify and route the webhook, dedupe its delivery id, queue one
 *    refresh per app on the FIFO intake queue (group = app, dedupe = app + commit); never render.
 * 2. worker (processMessage): settle a running operation first (resume it when its lease is free,
 *    come back later when another worker holds it); render (refresh.ts) → compare → store resources
 *    and status; automated and OutOfSync (auto-sync.ts: attempted revisions, self-heal backoff) →
 *    beginOperation under a lease → driveOperation: syncStep until done or the invocation's deadline,
 *    each step saved; a wait releases the lease and sends a delayed continue message; done →
 *    finishOperation (history, inventory) → refresh again for the final status.
 * 3. drift-scan (scanDrift): one refresh per app per scan window; the worker compares and heals.
 * 4. config (config-loader.ts, config-reload.ts): the Argo CD objects from a directory or the config
 *    repository, mirrored into the table; removed apps are deleted, their resources only with the
 *    resources finalizer.
 * 5. ApplicationSets (appset-sync.ts): reconciled on a config reload, a push to a repository a git
 *    generator reads, a pull request event (recorded for the pull request generator, see
 *    shared/preview) and every drift scan; generated Applications are created, updated and
 *    deleted in the table; a generator error changes nothing.
 * 6. after a sync (after-sync.ts): previews post a commit status; apps with a promotion rule
 *    promote the next environment by a commit to the config repository.
 * 7. read API (app-requests.ts, app-view.ts, appset-view.ts): Applications and ApplicationSets in
 *    Argo CD's status shape, manual syncs queued; built from the table and the intake queue alone
 *    for the api function.
 */
export * from './after-sync.js';
export * from './app-names.js';
export * from './app-requests.js';
export * from './app-view.js';
export * from './appset-routing.js';
export * from './appset-sync.js';
export * from './appset-view.js';
export * from './auto-sync.js';
export * from './config-loader.js';
export * from './config-reload.js';
export * from './delete-app.js';
export type * from './deps.js';
export * from './drift-scan.js';
export * from './drive-operation.js';
export * from './intake.js';
export type * from './operation-record.js';
export * from './platform.js';
export * from './queue-runner.js';
export * from './runtime.js';
export * from './worker.js';
