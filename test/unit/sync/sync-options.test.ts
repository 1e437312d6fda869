import { describe, expect, it } from 'vitest';
import {
  applySettings,
  ignoresExtraneous,
  operationSyncSettings,
  pruneDecision,
  pruneLastFor,
} from '../../../shared/sync/sync-options.js';
import { obj } from './fixtures.js';

const withOptions = (value: string) =>
  obj('v1', 'ConfigMap', 'c', { annotations: { 'argocd.argoproj.io/sync-options': value } });

describe('sync options', () => {
  it('reads operation-level options by exact match', () => {
    const settings = operationSyncSettings([
      'CreateNamespace=true',
      'PruneLast=true',
      'ApplyOutOfSyncOnly=true',
      'ServerSideApply=true',
      'Validate=false',
      'FailOnSharedResource=true',
      'RespectIgnoreDifferences=true',
      'PrunePropagationPolicy=orphan',
      'Prune=false',
      'Delete=false',
      'Replace=True',
    ]);
    expect(settings).toEqual({
      createNamespace: true,
      pruneLast: true,
      applyOutOfSyncOnly: true,
      serverSideApply: true,
      replace: false,
      force: false,
      validate: false,
      failOnSharedResource: true,
      respectIgnoreDifferences: true,
      skipDryRunOnMissingResource: false,
      prunePropagationPolicy: 'Orphan',
      prune: 'false',
      delete: 'false',
    });
    expect(operationSyncSettings([]).prunePropagationPolicy).toBe('Foreground');
    expect(
      operationSyncSettings(['PrunePropagationPolicy=orphan', 'PrunePropagationPolicy=background'])
        .prunePropagationPolicy,
    ).toBe('Background');
  });

  it('merges per-resource options from the annotation with the operation ones', () => {
    const none = operationSyncSettings([]);
    expect(applySettings(none, withOptions(' Replace=true , Validate=false'), undefined)).toEqual({
      replace: true,
      force: false,
      serverSideApply: false,
      validate: false,
    });
    const ssa = operationSyncSettings(['ServerSideApply=true', 'Force=true']);
    expect(applySettings(ssa, withOptions('ServerSideApply=false'), undefined)).toMatchObject({
      serverSideApply: false,
      force: true,
    });
    expect(applySettings(none, obj('v1', 'ConfigMap', 'c'), withOptions('Replace=true')).replace).toBe(true);
  });

  it('lets a resource override the app-level Prune option', () => {
    const appDisables = operationSyncSettings(['Prune=false']);
    expect(pruneDecision(appDisables, obj('v1', 'ConfigMap', 'c'))).toBe('disabled');
    expect(pruneDecision(appDisables, withOptions('Prune=true'))).toBe('prune');
    expect(pruneDecision(operationSyncSettings([]), withOptions('Prune=false,PruneLast=true'))).toBe(
      'disabled',
    );
    expect(pruneDecision(operationSyncSettings([]), withOptions('Prune=confirm'))).toBe('confirm');
    expect(pruneLastFor(operationSyncSettings([]), withOptions('Prune=false,PruneLast=true'))).toBe(true);
  });

  it('reads the IgnoreExtraneous compare option', () => {
    const extraneous = obj('v1', 'ConfigMap', 'c', {
      annotations: { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' },
    });
    expect(ignoresExtraneous(extraneous)).toBe(true);
    expect(ignoresExtraneous(withOptions('IgnoreExtraneous'))).toBe(false);
  });
});
