/**
 * Comparison (Argo CD's refresh): is an Application's live state what git says it should be?
 *
 * compareApp prepares the rendered objects exactly as sync will (destination namespace, tracking
 * id), reads live state with as few requests as it can (readLive: one LIST per group of objects of
 * one kind in one namespace, GETs for singletons, discovery once), predicts the live object each
 * apply would produce with a server-side dry run (cached in a PredictedCache by desired content and
 * live resourceVersion, so a steady app costs no dry runs), diffs resource by resource, finds what
 * the app owns but no longer renders (inventory, tracking ids in the LISTs), and sums up sync
 * status and health. Its answer feeds `driftless diff`, self-heal, and ApplyOutOfSyncOnly
 * (syncedKeys). scanOwnedInventory recovers an inventory from tracking ids when none is stored.
 */

export * from '../sync/live-reader.js';
export * from './compare-app.js';
export * from './ignore-settings.js';
export * from './owned-inventory.js';
export * from './predicted-cache.js';
