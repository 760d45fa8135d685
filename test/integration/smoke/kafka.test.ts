import assert from 'node:assert/strict';
import { Partitioners, type EachMessagePayload } from 'kafkajs';
import { testConfig, uniqueName } from '../../support/config';
import { createKafka } from '../../../lib/kafka/client';

describe('smoke: Kafka', () => {
  const config = testConfig();

  it('messages produced with keys and headers are consumed in order with the same keys and headers', async () => {
    const kafka = createKafka(config, 'smoke');
    const topic = uniqueName('doos.smoke');
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await producer.connect();
      const sent = ['order.created', 'order.paid', 'order.shipped'].map((eventType, i) => ({
        key: 'order-42',
        value: JSON.stringify({ seq: i, eventType }),
        headers: { 'message-id': `m-${i}`, 'event-type': eventType },
      }));
      await producer.send({ topic, messages: sent });

      const received: EachMessagePayload['message'][] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of 3 messages arrived`)), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message);
            if (received.length === sent.length) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        });
      });
      assert.deepEqual(
        received.map((m) => JSON.parse(m.value?.toString() ?? 'null') as unknown),
        sent.map((m) => JSON.parse(m.value) as unknown),
      );
      assert.ok(received.every((m) => m.key?.toString() === 'order-42'));
      assert.deepEqual(
        received.map((m) => m.headers?.['event-type']?.toString()),
        ['order.created', 'order.paid', 'order.shipped'],
      );
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
