import { describe, expect, it } from 'vitest';
import {
  appInstanceName,
  formatTrackingId,
  ownershipOf,
  parseTrackingId,
  trackingIdFor,
  withTrackingId,
} from '../../../shared/sync/tracking.js';
import { app, obj } from './fixtures.js';

describe('tracking id', () => {
  it('is <app>:<group>/<kind>:<namespace>/<name> with an empty group for core kinds', () => {
    expect(
      formatTrackingId(trackingIdFor(obj('v1', 'Service', 'web', { namespace: 'prod' }), 'web', 'prod')),
    ).toBe('web:/Service:prod/web');
    expect(
      formatTrackingId(trackingIdFor(obj('apps/v1', 'Deployment', 'api', { namespace: 'x' }), 'web', 'prod')),
    ).toBe('web:apps/Deployment:x/api');
  });

  it('gives cluster-scoped objects the destination namespace', () => {
    const role = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader');
    expect(formatTrackingId(trackingIdFor(role, 'web', 'prod'))).toBe(
      'web:rbac.authorization.k8s.io/ClusterRole:prod/reader',
    );
    expect(formatTrackingId(trackingIdFor(role, 'web', ''))).toBe(
      'web:rbac.authorization.k8s.io/ClusterRole:/reader',
    );
  });

  it('parses what it formats and rejects other shapes', () => {
    expect(parseTrackingId('web:apps/Deployment:prod/api')).toEqual({
      app: 'web',
      group: 'apps',
      kind: 'Deployment',
      namespace: 'prod',
      name: 'api',
    });
    expect(parseTrackingId('team_web:/ConfigMap:prod/a')?.app).toBe('team_web');
    expect(parseTrackingId('web')).toBeUndefined();
    expect(parseTrackingId('web:apps:prod/api')).toBeUndefined();
    expect(parseTrackingId('web:apps/Deployment:prod')).toBeUndefined();
  });

  it('names apps outside the control namespace namespace_name', () => {
    expect(appInstanceName(app())).toBe('web');
    expect(appInstanceName({ ...app(), metadata: { name: 'web', namespace: 'team' } })).toBe('team_web');
    expect(appInstanceName({ ...app(), metadata: { name: 'web' } })).toBe('web');
  });

  it('owns an object only when the id names this app and this very object', () => {
    const cm = obj('v1', 'ConfigMap', 'a', { namespace: 'prod' });
    expect(ownershipOf(cm, 'web')).toEqual({ kind: 'untracked' });
    expect(ownershipOf(withTrackingId(cm, trackingIdFor(cm, 'web', 'prod')), 'web')).toEqual({
      kind: 'ours',
    });
    expect(ownershipOf(withTrackingId(cm, trackingIdFor(cm, 'billing', 'prod')), 'web')).toEqual({
      kind: 'foreign',
      app: 'billing',
    });
    const other = obj('v1', 'ConfigMap', 'b', { namespace: 'prod' });
    expect(ownershipOf(withTrackingId(cm, trackingIdFor(other, 'web', 'prod')), 'web')).toEqual({
      kind: 'copied',
    });
    const role = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader');
    expect(ownershipOf(withTrackingId(role, trackingIdFor(role, 'web', 'prod')), 'web')).toEqual({
      kind: 'ours',
    });
  });
});
