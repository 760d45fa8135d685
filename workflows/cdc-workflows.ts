/** The workflows of the CDC worker's task queue `cdc-indexer`: the per-shard tail and the backfill. */
export { cdcIndexer } from './cdc-indexer';
export { cdcBackfill } from './cdc-backfill';
