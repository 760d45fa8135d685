/** The workflows of the relay worker's task queue `outbox-relay`: the per-shard relay. */
export { outboxRelay } from './outbox-relay';
