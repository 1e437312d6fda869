/**
 * Reading the settings the stack gives a function. The variable names are the contract in
 * infra/lib/constructs/function-environment.ts; a missing or malformed one fails the first
 * invocation with a message that names the variable.
 */
import { ENV } from '../infra/lib/constructs/function-environment.js';
import { DriftlessError, messageOf } from '../shared/errors/index.js';
import type { PipelineSettings } from '../shared/pipeline/deps.js';

export { ENV };

export type Environment = Readonly<Record<string, string | undefined>>;

/** Where a function reads its settings; tests pass their own instead of process.env. */
export interface FunctionEnvironmentOptions {
  readonly env?: Environment;
}

export function requiredSetting(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new DriftlessError('INTERNAL', `environment variable ${name} is not set`, { context: { name } });
  }
  return value;
}

export function jsonListSetting<T>(env: Environment, name: string): T[] {
  const text = env[name];
  if (text === undefined || text === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not a JSON array');
    return value as T[];
  } catch (e) {
    throw new DriftlessError('INTERNAL', `environment variable ${name}: ${messageOf(e)}`, {
      context: { name },
    });
  }
}

/** The pipeline settings the stack passes down: the queues' redrive count and the scan period. */
export function pipelineSettingsOf(env: Environment): PipelineSettings {
  const maxReceiveCount = Number(env[ENV.maxReceiveCount] ?? '5');
  const driftScanSeconds = Number(env[ENV.driftScanSeconds] ?? '180');
  return {
    ...(Number.isFinite(maxReceiveCount) ? { maxReceiveCount } : {}),
    ...(Number.isFinite(driftScanSeconds) ? { driftScanSeconds } : {}),
  };
}
