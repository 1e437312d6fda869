export * from './driftless-error.js';
