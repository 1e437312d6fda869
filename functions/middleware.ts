/**
 * Middlewares shared by the handlers, as middy's {before, after, onError}: metrics are flushed
 * once per invocation whether it succeeds or fails, and a failure is logged with the request id
 * before Lambda sees it.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import { messageOf } from '../shared/errors/index.js';
import type { Logger } from '../shared/ports/logger.js';
import type { Metrics } from '../shared/ports/metrics.js';
import type { LambdaContext } from './lambda-types.js';

export function flushMetrics(metrics: Metrics): MiddlewareObj {
  return {
    name: 'flush-metrics',
    after: async () => {
      await metrics.flush();
    },
    onError: async () => {
      await metrics.flush();
    },
  };
}

export function logFailures(logger: Logger): MiddlewareObj {
  return {
    name: 'log-failures',
    onError: async (request) => {
      logger.error('invocation failed', {
        requestId: (request.context as { awsRequestId?: string } | undefined)?.awsRequestId,
        error: messageOf(request.error),
      });
    },
  };
}

/** A handler body wrapped in the middlewares every function uses: failures logged, metrics flushed. */
export function observedHandler<E, R>(
  base: (event: E, context: LambdaContext) => Promise<R>,
  deps: { readonly logger: Logger; readonly metrics: Metrics },
) {
  return middy<E, R, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(deps.logger))
    .use(flushMetrics(deps.metrics));
}

/**
 * The exported Lambda entry: builds the handler (and its AWS clients) on the first invocation of a
 * container and reuses it for the next ones.
 */
export function lazyHandler<E, R>(
  build: () => (event: E, context: LambdaContext & Record<string, never>) => Promise<R>,
): (event: E, context: LambdaContext) => Promise<R> {
  let built: ReturnType<typeof build> | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context as LambdaContext & Record<string, never>);
  };
}
