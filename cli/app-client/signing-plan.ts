import { DriftlessError } from '../../shared/errors/index.js';

/** Whether requests to the server are signed, and for which region. */
export type SigningPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'sigv4'; readonly region: string; readonly service: 'execute-api' };

export interface PlanSigningOptions {
  /** The API's base URL. */
  readonly server: string;
  /** `--sigv4`: sign even when the host is not an API Gateway host (a custom domain, a proxy). */
  readonly sigv4: boolean;
  /** `--region`. */
  readonly region?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

// <api-id>.execute-api.<region>.amazonaws.com, and the .com.cn partition.
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The region an API Gateway default endpoint names, or undefined for any other host. */
export function regionOfExecuteApiHost(hostname: string): string | undefined {
  return EXECUTE_API_HOST.exec(hostname.toLowerCase())?.[1];
}

/**
 * The deployed application API takes IAM authorisation, so requests to an `execute-api` host are
 * signed without being asked; `--sigv4` extends that to other hosts. A loopback server is the
 * local platform, which has no IAM, so it is signed only when `--sigv4` says so. An explicit
 * `--region` wins over the host's, which wins over AWS_REGION and AWS_DEFAULT_REGION.
 */
export function planSigning(options: PlanSigningOptions): SigningPlan {
  let url: URL;
  try {
    url = new URL(options.server);
  } catch {
    throw new DriftlessError('INVALID_INPUT', `--server ${options.server}: not a URL`, {
      context: { server: options.server },
    });
  }
  const hostRegion = regionOfExecuteApiHost(url.hostname);
  const loopback = LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
  if (!options.sigv4 && (hostRegion === undefined || loopback)) return { kind: 'none' };
  const region = options.region || hostRegion || options.env.AWS_REGION || options.env.AWS_DEFAULT_REGION;
  if (region === undefined || region === '') {
    throw new DriftlessError(
      'INVALID_INPUT',
      `signing requests to ${url.host} with SigV4 needs a region: the host names none; give --region or set AWS_REGION`,
      { context: { server: options.server } },
    );
  }
  return { kind: 'sigv4', region, service: 'execute-api' };
}
