/**
 * WATCH: a chunked stream of `{"type","object"}` lines. Without a resourceVersion (or "0") it
 * starts with ADDED for every current object; with one it replays the history after it, or sends
 * the 410 Expired ERROR event if that history is gone. The WatchList mode (sendInitialEvents) is
 * refused the way servers without that feature refuse it, so clients fall back to LIST + WATCH.
 */
import type { ServerResponse } from 'node:http';
import { type ApiServer, groupResourceOf, type Target } from './api-server.js';
import { metaOf, type StoreEvent } from './object-store.js';
import { apiVersionOf } from './resource-registry.js';
import { labelsOf, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, failureStatus } from './status-errors.js';
import type { JsonObject } from './types.js';

export function refuseWatchList(query: Readonly<Record<string, string>>): void {
  if (query.sendInitialEvents === 'true') {
    const detail = 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled';
    throw new ApiError(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: ${detail}`,
      {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: [
          { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field: 'sendInitialEvents' },
        ],
      },
    );
  }
}

/** Streams events until the client goes away, the timeout passes or the returned closer is called. */
export function serveWatch(
  api: ApiServer,
  t: Target,
  query: Readonly<Record<string, string>>,
  res: ServerResponse,
): () => void {
  refuseWatchList(query);
  const byLabels = parseLabelSelector(query.labelSelector);
  const byFields = parseFieldSelector(query.fieldSelector);
  const gr = groupResourceOf(t.rt);
  const matches = (obj: JsonObject): boolean => {
    const ns = String(metaOf(obj).namespace ?? '');
    if (t.rt.namespaced && t.namespace !== undefined && ns !== t.namespace) return false;
    return byLabels(labelsOf(obj)) && byFields(obj);
  };
  const send = (type: string, object: JsonObject) => {
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const present = (obj: JsonObject): JsonObject => ({
    ...obj,
    apiVersion: apiVersionOf(t.rt),
    kind: t.rt.kind,
  });

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache',
  });
  const rv = query.resourceVersion;
  let backlog: StoreEvent[] | undefined;
  if (rv === undefined || rv === '' || rv === '0') {
    for (const obj of api.select(t.rt, t.namespace, query.labelSelector, query.fieldSelector))
      send('ADDED', obj);
    backlog = [];
  } else {
    backlog = api.store.eventsSince(Number(rv));
    if (!backlog) {
      send(
        'ERROR',
        failureStatus(410, 'Expired', `too old resource version: ${rv} (${api.store.oldestRevision})`),
      );
      res.end();
      return () => {};
    }
  }
  const onEvent = (e: StoreEvent) => {
    if (e.groupResource === gr && matches(e.object)) send(e.type, present(e.object));
  };
  for (const e of backlog) onEvent(e);
  const unsubscribe = api.store.subscribe(onEvent);
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timeout = Number(query.timeoutSeconds ?? 0);
  if (timeout > 0) timer = setTimeout(close, timeout * 1000);
  res.on('close', close);
  return close;
}
