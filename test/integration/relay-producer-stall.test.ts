import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { testConfig, uniqueName } from '../support/config';
import { createRelayProducer, FreshAfterFailureProducer } from '../../lib/kafka/client';

const STACK = path.join(__dirname, '..', '..', 'deployments', 'native', 'stack.sh');

/**
 * The relay's producer when the broker stalls under two sends at once (one per shard, as a relay worker makes them):
 * the real Kafka is frozen with SIGSTOP so that the first send's request times out although the broker will write
 * it. kafkajs then hands that request's sequence number to the next send, which the thawed broker takes for a copy
 * of the first and acknowledges without writing — its rows would be marked sent and its event lost (a chaos run
 * found one such event missing).
 */
describe('relay producer with the broker frozen under two sends at once (real Kafka)', function () {
  this.timeout(60_000);
  const config = testConfig();
  const topic = uniqueName('doos.test.stall');
  // Requests time out after 1 s, so the stall needs a second and a half rather than half a minute.
  const kafka = new Kafka({
    clientId: 'stall-test',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
    requestTimeout: 1000,
  });
  const producer = new FreshAfterFailureProducer(() => createRelayProducer(kafka));
  let kafkaPid = 0;

  before(async () => {
    kafkaPid = Number(execFileSync('bash', [STACK, 'pid', 'kafka'], { encoding: 'utf8' }).trim());
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  after(async () => {
    if (kafkaPid) process.kill(kafkaPid, 'SIGCONT');
    await producer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  async function idsOnTopic(): Promise<string[]> {
    const admin = kafka.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const ids: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('stall-check') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${ids.length} messages, the topic ends at ${end?.high}`)),
        20_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          ids.push(message.key?.toString() ?? '');
          if (Number(message.offset) + 1 >= Number(end?.high)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    return ids;
  }

  it('every message a send reported written is on the topic', async () => {
    // Connected, with the topic's leader known and a first sequence spent.
    await producer.send({ topic, acks: -1, messages: [{ key: 'warm-up', value: '{}' }] });

    process.kill(kafkaPid, 'SIGSTOP');
    const first = producer.send({ topic, acks: -1, messages: [{ key: 'shard-0', value: '{}' }] });
    const second = producer.send({ topic, acks: -1, messages: [{ key: 'shard-1', value: '{}' }] });
    try {
      // The first request times out after 1 s; the second is on its way when the broker wakes up.
      await sleep(1500);
    } finally {
      process.kill(kafkaPid, 'SIGCONT');
    }
    const outcomes = await Promise.allSettled([first, second]);

    const ids = await idsOnTopic();
    for (const [i, key] of ['shard-0', 'shard-1'].entries()) {
      if (outcomes[i]!.status === 'fulfilled') {
        assert.ok(ids.includes(key), `${key} was reported written, but the topic holds only ${ids.join(', ')}`);
      }
    }
    assert.ok(
      outcomes.some((o) => o.status === 'fulfilled'),
      'at least one send went through once the broker was back',
    );
  });
});
