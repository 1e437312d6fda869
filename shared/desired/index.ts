/**
 * Desired state: what an Application wants in its cluster, rendered from git. The sync engine,
 * the CLI and the worker all start here: resolve revision → open tree → render each source.
 */
export * from './render-application.js';
