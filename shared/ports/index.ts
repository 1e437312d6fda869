/** Ports: the interfaces the engine depends on. Adapters implement them; tests use real adapters. */
export * from './clock.js';
export * from './logger.js';
export * from './source-tree.js';
export * from './tool-runner.js';
export * from './kube-client.js';
