import { Duration } from 'aws-cdk-lib';
import { DriftlessError } from '../../../shared/errors/index.js';
import type { DriftlessProps } from '../constructs/driftless-props.js';

/** The context key holding Driftless's settings (an object in cdk.json, JSON text with `-c`). */
export const CONTEXT_KEY = 'driftless';

/**
 * The settings as they are written in cdk.json or passed with `-c driftless='{...}'`: plain JSON,
 * with durations in minutes. Everything else is checked by the construct, which names the field.
 */
export interface DriftlessContext {
  readonly clusters?: DriftlessProps['clusters'];
  readonly configRepository?: DriftlessProps['configRepository'];
  readonly webhookSecretName?: string;
  readonly repositoryCredentialSecretNames?: readonly string[];
  readonly commitStatusSecretName?: string;
  readonly driftScanMinutes?: number;
  readonly alarmEmail?: string;
  readonly criticalApps?: readonly string[];
  readonly outOfSyncPeriods?: number;
  readonly webhookClientErrorPercent?: number;
  readonly workerTimeoutMinutes?: number;
  readonly workerMemoryMb?: number;
  readonly workerConcurrencyPerCluster?: number;
  readonly reserveWorkerConcurrency?: boolean;
  readonly deletionProtection?: boolean;
  readonly tableName?: string;
  readonly logRetentionDays?: number;
}

const KNOWN: ReadonlySet<string> = new Set([
  'clusters',
  'configRepository',
  'webhookSecretName',
  'repositoryCredentialSecretNames',
  'commitStatusSecretName',
  'driftScanMinutes',
  'alarmEmail',
  'criticalApps',
  'outOfSyncPeriods',
  'webhookClientErrorPercent',
  'workerTimeoutMinutes',
  'workerMemoryMb',
  'workerConcurrencyPerCluster',
  'reserveWorkerConcurrency',
  'deletionProtection',
  'tableName',
  'logRetentionDays',
]);

function invalid(message: string): DriftlessError {
  return new DriftlessError('INVALID_INPUT', `context "${CONTEXT_KEY}": ${message}`, {
    context: { key: CONTEXT_KEY },
  });
}

function parse(raw: unknown): Record<string, unknown> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw invalid(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('must be an object with clusters and configRepository (see "Deploy to AWS" in README.md)');
  }
  return value as Record<string, unknown>;
}

function typed<T>(
  value: Record<string, unknown>,
  key: string,
  type: 'number' | 'boolean' | 'string',
): T | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== type) throw invalid(`${key} must be a ${type}, got ${JSON.stringify(field)}`);
  return field as T;
}

/** Driftless props from the app's context value; unknown keys are refused so typos surface. */
export function propsFromContext(raw: unknown): DriftlessProps {
  if (raw === undefined) {
    throw invalid(
      'missing: set it in cdk.json or pass -c driftless=\'{"clusters":[...],"configRepository":{...}}\'',
    );
  }
  const value = parse(raw);
  for (const key of Object.keys(value)) {
    if (!KNOWN.has(key)) throw invalid(`unknown setting "${key}"; known: ${[...KNOWN].join(', ')}`);
  }
  const c = value as DriftlessContext;
  const minutes = (key: string) => {
    const n = typed<number>(value, key, 'number');
    return n === undefined ? undefined : Duration.minutes(n);
  };
  const driftScanInterval = minutes('driftScanMinutes');
  const workerTimeout = minutes('workerTimeoutMinutes');
  const workerMemory = typed<number>(value, 'workerMemoryMb', 'number');
  const perCluster = typed<number>(value, 'workerConcurrencyPerCluster', 'number');
  const reserve = typed<boolean>(value, 'reserveWorkerConcurrency', 'boolean');
  const outOfSyncPeriods = typed<number>(value, 'outOfSyncPeriods', 'number');
  const clientErrors = typed<number>(value, 'webhookClientErrorPercent', 'number');
  const email = typed<string>(value, 'alarmEmail', 'string');
  const deletionProtection = typed<boolean>(value, 'deletionProtection', 'boolean');
  const retention = typed<number>(value, 'logRetentionDays', 'number');
  return {
    clusters: c.clusters ?? [],
    // Missing is reported by the construct, which names the field.
    configRepository: c.configRepository as DriftlessProps['configRepository'],
    ...(c.webhookSecretName === undefined ? {} : { webhookSecretName: c.webhookSecretName }),
    ...(c.commitStatusSecretName === undefined ? {} : { commitStatusSecretName: c.commitStatusSecretName }),
    ...(c.repositoryCredentialSecretNames === undefined
      ? {}
      : { repositoryCredentialSecretNames: c.repositoryCredentialSecretNames }),
    ...(driftScanInterval === undefined ? {} : { driftScanInterval }),
    alarms: {
      ...(email === undefined ? {} : { email }),
      ...(c.criticalApps === undefined ? {} : { criticalApps: c.criticalApps }),
      ...(outOfSyncPeriods === undefined ? {} : { outOfSyncPeriods }),
      ...(clientErrors === undefined ? {} : { webhookClientErrorPercent: clientErrors }),
    },
    worker: {
      ...(workerTimeout === undefined ? {} : { timeout: workerTimeout }),
      ...(workerMemory === undefined ? {} : { memorySize: workerMemory }),
      ...(perCluster === undefined ? {} : { concurrencyPerCluster: perCluster }),
      ...(reserve === undefined ? {} : { reserveConcurrency: reserve }),
    },
    ...(deletionProtection === undefined ? {} : { deletionProtection }),
    ...(c.tableName === undefined ? {} : { tableName: c.tableName }),
    ...(retention === undefined ? {} : { logRetentionDays: retention }),
  };
}
