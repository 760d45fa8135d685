/**
 * Reads topics under a group of its own — what is written from now on, or everything from the beginning — and keeps the
 * messages a test cares about.
 */
import type { Harness } from './api-harness';
import { uniqueName } from './config';

export interface SeenMessage {
  topic: string;
  partition: number;
  offset: string;
  /** Kafka's timestamp of the message, ms since the epoch. */
  timestamp: string;
  key: string;
  messageId: string;
  eventType: string;
  headers: Record<string, string>;
  value: string;
}

export interface TopicWatch {
  /** Messages kept so far, in the order they were read (per partition: log order). */
  seen: SeenMessage[];
  stop(): Promise<void>;
}

export async function watchTopics(
  h: Harness,
  topics: string[],
  keep: (m: SeenMessage) => boolean = () => true,
  from: 'now' | 'beginning' = 'now',
): Promise<TopicWatch> {
  // Start at each partition's current end, taken before subscribing: nothing written from now on is missed, and
  // the topics' history (every earlier run's messages) is not read.
  const admin = h.resources.kafka.admin();
  await admin.connect();
  const ends = await Promise.all(
    topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })),
  );
  await admin.disconnect();
  const consumer = h.resources.kafka.consumer({ groupId: uniqueName('test-watch') });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const seen: SeenMessage[] = [];
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      const m: SeenMessage = {
        topic,
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key?.toString() ?? '',
        messageId: headers['message-id'] ?? '',
        eventType: headers['event-type'] ?? '',
        headers,
        value: message.value?.toString() ?? '',
      };
      if (keep(m)) seen.push(m);
      return Promise.resolve();
    },
  });
  if (from === 'now')
    for (const { topic, offsets } of ends) {
      for (const { partition, high } of offsets) consumer.seek({ topic, partition, offset: high });
    }
  return { seen, stop: () => consumer.disconnect() };
}
