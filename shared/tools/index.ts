/** The kubectl/helm toolchain: where the binaries are, and how they are run. */
export * from './locate-tools.js';
export * from './process-tool-runner.js';
