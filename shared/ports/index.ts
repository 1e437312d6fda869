/** Ports: the interfaces the engine depends on. Adapters implement them; tests use real adapters. */
export * from './clock.js';
export * from './kube-client.js';
export * from './logger.js';
export * from './metrics.js';
export * from './queue.js';
export * from './source-tree.js';
export * from './tool-runner.js';
