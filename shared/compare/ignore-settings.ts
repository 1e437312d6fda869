/**
 * The ignore rules one Application is compared with: its own `spec.ignoreDifferences` plus the
 * argocd-cm customizations (`resource.customizations.ignoreDifferences.<group>_<kind>` and `.all`),
 * in the shape shared/diff takes.
 */
import type { IgnoreDifferences } from '../diff/index.js';
import type { Application, ArgoCdSettings } from '../model/argo-types.js';

export interface IgnoreDifferencesForOptions {
  readonly app: Application;
  readonly settings?: ArgoCdSettings;
}

export function ignoreDifferencesFor({ app, settings }: IgnoreDifferencesForOptions): IgnoreDifferences {
  return {
    application: [...(app.spec.ignoreDifferences ?? [])],
    ...(settings === undefined
      ? {}
      : {
          customizations: settings.ignoreDifferences.map(({ group, kind, rule }) => ({
            group,
            kind,
            ...rule,
          })),
          ...(settings.ignoreDifferencesAll === undefined ? {} : { all: settings.ignoreDifferencesAll }),
        }),
  };
}

/** The rules beyond the app's own, which is what the sync step takes for RespectIgnoreDifferences. */
export function settingsIgnoreDifferences(ignore: IgnoreDifferences): IgnoreDifferences {
  const { application: _own, ...rest } = ignore;
  return rest;
}
