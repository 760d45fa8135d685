/** Human-readable order numbers: the UTC day of the id, the shard, then the Snowflake id (unique with it). */
import { decodeSnowflake } from './snowflake';

/** e.g. `2026112501` + `1795617079615234049`: day 2026-11-25, shard 01, then the id (29 characters). */
export function formatOrderNo(orderId: bigint, shard: number): string {
  const day = new Date(decodeSnowflake(orderId).timestampMs).toISOString().slice(0, 10).replace(/-/g, '');
  return `${day}${String(shard).padStart(2, '0')}${orderId.toString()}`;
}
