/**
 * Middlewares shared by the handlers, as middy's {before, after, onError}: metrics are flushed
 * once per invocation whether it succeeds or fails, and a failure is logged with the request id
 * before Lambda sees it.
 */
import type { MiddlewareObj } from '@middy/core';
import { messageOf } from '../shared/errors/index.js';
import type { Logger } from '../shared/ports/logger.js';
import type { Metrics } from '../shared/ports/metrics.js';

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
