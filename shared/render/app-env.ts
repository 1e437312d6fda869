/**
 * The build environment Argo CD's repo-server gives renderers (newEnv): ARGOCD_APP_* describe the
 * Application (ARGOCD_APP_NAMESPACE is the DESTINATION namespace, as in the manifest request),
 * KUBE_VERSION / KUBE_API_VERSIONS the target cluster. `envsubst` expands `$VAR` / `${VAR}` from
 * that environment only, like Go's os.Expand in Env.Envsubst: unknown names become empty, `$$` is `$`.
 */
import type { RenderRequest } from './types.js';

export function appEnv(request: RenderRequest, sourcePath: string): Record<string, string> {
  const revision = request.tree.revision;
  return {
    ARGOCD_APP_NAME: request.appName,
    ARGOCD_APP_NAMESPACE: request.destinationNamespace ?? '',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: request.source.repoURL,
    ARGOCD_APP_SOURCE_PATH: request.source.path ?? sourcePath,
    ARGOCD_APP_SOURCE_TARGET_REVISION: request.source.targetRevision ?? '',
    KUBE_VERSION: kubeVersionOf(request) ?? '',
    KUBE_API_VERSIONS: (apiVersionsOf(request) ?? []).join(','),
  };
}

/** Source-level kubeVersion (helm or kustomize block) wins over the cluster's. */
export function kubeVersionOf(request: RenderRequest): string | undefined {
  const own = request.source.helm?.kubeVersion || request.source.kustomize?.kubeVersion;
  return own || request.kubeVersion || undefined;
}

export function apiVersionsOf(request: RenderRequest): readonly string[] | undefined {
  const own = request.source.helm?.apiVersions ?? request.source.kustomize?.apiVersions;
  return own && own.length > 0 ? own : request.apiVersions;
}

const SPECIAL = '*#$@!?-0123456789';

export function envsubst(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1]!;
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) {
        // os.Expand drops a malformed `${` reference.
        i = text.length;
        continue;
      }
      const name = text.slice(i + 2, end);
      out += lookup(name, env);
      i = end;
    } else if (SPECIAL.includes(next)) {
      out += next === '$' ? '$' : lookup(next, env);
      i++;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      out += lookup(m[0], env);
      i += m[0].length;
    }
  }
  return out;
}

function lookup(name: string, env: Readonly<Record<string, string>>): string {
  return env[name] ?? '';
}
