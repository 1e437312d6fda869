/**
 * Sends requests through client-node's own machinery (KubeConfig auth, TLS agent, middleware,
 * fetch) while keeping bodies byte-faithful. KubernetesObjectApi's typed serializer drops fields it
 * does not model (`x-kubernetes-preserve-unknown-fields`, `default` in CRD schemas, fields of newer
 * Kubernetes versions), turns timestamps into Date objects and lower-cases request paths; a GitOps
 * engine that diffs exactly cannot afford any of that, so bodies are JSON in and JSON out here.
 */
import {
  ApiException,
  HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type ResponseContext,
} from '@kubernetes/client-node';

export type RawMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RawRequest {
  readonly method: RawMethod;
  /** Absolute API path, already escaped (/apis/apps/v1/namespaces/web/deployments/api). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Defaults to application/json when there is a body. */
  readonly contentType?: string;
  readonly timeoutMs: number;
}

const methods: Readonly<Record<RawMethod, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export class RawObjectApi extends KubernetesObjectApi {
  static forConfig(kc: KubeConfig): RawObjectApi {
    return kc.makeApiClient(RawObjectApi);
  }

  /** Resolves to the parsed JSON body of a 2xx answer; rejects with client-node's ApiException otherwise. */
  async send(request: RawRequest): Promise<unknown> {
    const context = this.configuration.baseServer.makeRequestContext(request.path, methods[request.method]);
    context.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) context.setQueryParam(name, value);
    }
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    context.setSignal(AbortSignal.timeout(request.timeoutMs));
    return (await this.requestPromise(context)) as unknown;
  }

  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
  ): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      return (text === '' ? {} : JSON.parse(text)) as T;
    }
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', text, response.headers);
  }
}
