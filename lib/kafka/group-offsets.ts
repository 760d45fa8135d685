/** Where a consumer group stands in a topic: each partition's log start and end and the group's committed offset. */
import type { Admin } from 'kafkajs';
import type { PartitionOffsets } from '../metrics/consumer-metrics';

export async function groupOffsets(admin: Admin, groupId: string, topic: string): Promise<PartitionOffsets[]> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const committedOf = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
  return ends.map(({ partition, high, low }) => {
    const c = committedOf.get(partition);
    return { partition, high: BigInt(high), low: BigInt(low), committed: c === undefined || c < 0n ? null : c };
  });
}
