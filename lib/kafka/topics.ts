/** Creates DOOS's Kafka topics if they are missing (idempotent; run by every process that publishes or consumes). */
import type { Kafka } from 'kafkajs';
import type { Config } from '../config';
import { doosTopics } from './client';

/** Partitions per topic: records of one order share a key, so they stay in one partition and in order. */
export const TOPIC_PARTITIONS = 3;

export async function ensureTopics(kafka: Kafka, config: Pick<Config, 'kafka'>): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = doosTopics(config).filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: TOPIC_PARTITIONS, replicationFactor: 1 })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
