/**
 * How large a body the endpoint reads. Argo CD defaults `webhook.maxPayloadSizeMB` (argocd-cm) to
 * 50 and GitHub caps deliveries at 25 MB, but a synchronous Lambda invocation cannot carry more
 * than 6 MB, so a larger limit could never be reached in AWS: the default is 6 MiB, and a smaller
 * `webhook.maxPayloadSizeMB` set in argocd-cm is honoured.
 */
import { DriftlessError } from '../errors/index.js';
import type { ArgoCdSettings } from '../model/index.js';

export const DEFAULT_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_PAYLOAD_SIZE_KEY = 'webhook.maxPayloadSizeMB';

/** The limit argocd-cm asks for, capped at the default; the default when unset. */
export function maxPayloadBytesFromSettings(settings: Pick<ArgoCdSettings, 'raw'>): number {
  const raw = settings.raw[MAX_PAYLOAD_SIZE_KEY];
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_PAYLOAD_BYTES;
  const megabytes = Number(raw);
  if (!Number.isInteger(megabytes) || megabytes <= 0) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `argocd-cm: data.${MAX_PAYLOAD_SIZE_KEY}: must be a positive whole number of megabytes, not ${JSON.stringify(raw)}`,
      { context: { field: `data.${MAX_PAYLOAD_SIZE_KEY}` } },
    );
  }
  return Math.min(megabytes * 1024 * 1024, DEFAULT_MAX_PAYLOAD_BYTES);
}
