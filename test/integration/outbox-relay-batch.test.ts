import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { testConfig, uniqueName } from '../support/config';
import { parseMysqlDsn } from '../../lib/db/dsn';
import { createShardPrisma, type ShardPrismaClient } from '../../lib/db/prisma';
import { createSqlPool, type SqlPool } from '../../lib/db/sql-pool';
import { migrateTarget, PRISMA_DIR } from '../../lib/db/migrate';
import { createKafka } from '../../lib/kafka/client';
import { ensureTopics } from '../../lib/kafka/topics';
import { createOutboxActivities, backoffSeconds } from '../../activities/outbox-activities';
import { Registry } from 'prom-client';
import { createOutboxMetrics } from '../../lib/metrics/outbox-metrics';
import { OutboxStatus } from '../../lib/outbox/outbox-table';

/** Outbox relay batches against a throwaway shard database (so the test owns every row) and the real Kafka. */
describe('outbox relay batch (real MariaDB and Kafka)', function () {
  this.timeout(60_000);
  const config = testConfig();
  const server = parseMysqlDsn(config.shards.dsns[0]!);
  const database = `doos_relay_test_${Date.now().toString(36)}`;
  const dsn = `mysql://${server.user}:${server.password}@${server.host}:${server.port}/${database}`;
  const topic = uniqueName('doos.test.relay');
  const dlqTopic = uniqueName('doos.test.dlq');
  let db: ShardPrismaClient;
  let sql: SqlPool;
  let producer: Producer;
  const kafka = createKafka(config, 'relay-test');

  before(async () => {
    await migrateTarget({ label: 'relay test', dsn, migrationsDir: path.join(PRISMA_DIR, 'shard', 'migrations') });
    db = createShardPrisma(dsn, 4);
    sql = createSqlPool(dsn, 4);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, dlqTopic].map((t) => ({ topic: t, numPartitions: 3, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  after(async () => {
    await producer?.disconnect();
    await db?.$disconnect();
    await sql?.close();
    const conn = await mysql.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.end();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  async function addRows(orderId: bigint, events: string[], maxRetry = 5): Promise<string[]> {
    const ids = events.map(() => randomUUID());
    for (const [i, eventType] of events.entries()) {
      await db.localMessage.create({
        data: {
          messageId: ids[i]!,
          txId: orderId,
          topic,
          eventType,
          payload: { eventType, orderId: orderId.toString(), seq: i },
          maxRetry,
        },
      });
    }
    return ids;
  }

  it('creates the DOOS topics once, and says which it created', async () => {
    const first = await ensureTopics(kafka, config);
    const second = await ensureTopics(kafka, config);
    assert.deepEqual(second, []);
    assert.ok(
      first.every((t) =>
        [config.kafka.topics.orderEvents, config.kafka.topics.stockDeduct, config.kafka.topics.deadLetter].includes(t),
      ),
    );
  });

  it('publishes due rows keyed by order with their headers, in order, and marks them sent', async () => {
    const orderA = 1001n;
    const orderB = 1002n;
    const idsA = await addRows(orderA, ['order.created', 'order.paid', 'order.shipped']);
    const idsB = await addRows(orderB, ['order.created']);
    const relay = createOutboxActivities({ shards: [sql], producer, deadLetterTopic: dlqTopic });
    const result = await relay.relayBatch({ shard: 0, batchSize: 100 });
    assert.deepEqual(result, { picked: 4, published: 4, retrying: 0, failed: 0 });
    assert.deepEqual(await relay.relayBatch({ shard: 0, batchSize: 100 }), {
      picked: 0,
      published: 0,
      retrying: 0,
      failed: 0,
    });

    const rows = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    assert.ok(rows.every((r) => r.status === OutboxStatus.SENT && r.sentAt !== null));

    const consumer = kafka.consumer({ groupId: uniqueName('relay-test') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: { key: string; id: string; type: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${got.length} of 4 messages arrived`)), 30_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          got.push({
            key: message.key!.toString(),
            id: message.headers!['message-id']!.toString(),
            type: message.headers!['event-type']!.toString(),
          });
          if (got.length === 4) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    assert.deepEqual(
      got.filter((m) => m.key === '1001').map((m) => m.id),
      idsA,
    );
    assert.deepEqual(
      got.filter((m) => m.key === '1001').map((m) => m.type),
      ['order.created', 'order.paid', 'order.shipped'],
    );
    assert.deepEqual(
      got.filter((m) => m.key === '1002').map((m) => m.id),
      idsB,
    );
  });

  it('when Kafka cannot be reached, rows back off 1, 2, 4 … s with the error kept, then fail after max_retry', async () => {
    await db.localMessage.deleteMany({});
    await addRows(2001n, ['order.created', 'order.paid'], 2);
    const dead = new Kafka({
      clientId: 'dead',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 300,
    });
    const deadProducer = dead.producer({ retry: { retries: 0 } });
    const registry = new Registry();
    const relay = createOutboxActivities({
      shards: [sql],
      producer: deadProducer,
      deadLetterTopic: dlqTopic,
      metrics: createOutboxMetrics(registry, () =>
        Promise.all([db.localMessage.count({ where: { status: OutboxStatus.PENDING } })]),
      ),
    });

    assert.deepEqual(await relay.relayBatch({ shard: 0, batchSize: 100 }), {
      picked: 2,
      published: 0,
      retrying: 2,
      failed: 0,
    });
    let [first, second] = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    for (const row of [first!, second!]) {
      assert.deepEqual([row.status, row.retryCount], [0, 1]);
      assert.ok(row.errorMsg && row.errorMsg.length > 0, 'the error is kept on the row');
      const delayMs = row.nextRetryAt!.getTime() - row.updatedAt.getTime();
      assert.ok(delayMs >= 900 && delayMs <= 1100, `first backoff ${delayMs} ms`);
    }
    assert.deepEqual(
      await relay.relayBatch({ shard: 0, batchSize: 100 }),
      { picked: 0, published: 0, retrying: 0, failed: 0 },
      'not due yet',
    );

    // The later row is due but its order's earlier row is not: it waits, so the order's events stay in sequence.
    await db.localMessage.update({ where: { id: second!.id }, data: { nextRetryAt: new Date(Date.now() - 1000) } });
    assert.equal((await relay.relayBatch({ shard: 0, batchSize: 100 })).picked, 0);

    // Due again twice more: after max_retry (2) retries the rows are failed (status 3).
    for (const expected of [
      { retrying: 2, failed: 0 },
      { retrying: 0, failed: 2 },
    ]) {
      await db.localMessage.updateMany({
        where: { status: OutboxStatus.PENDING },
        data: { nextRetryAt: new Date(Date.now() - 1000) },
      });
      const r = await relay.relayBatch({ shard: 0, batchSize: 100 });
      assert.deepEqual({ retrying: r.retrying, failed: r.failed }, expected);
    }
    [first, second] = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    assert.deepEqual([first!.status, first!.retryCount, second!.status, second!.retryCount], [3, 3, 3, 3]);
    const text = await registry.metrics();
    assert.match(text, /outbox_publish_failures_total\{shard="0"\} 6/, 'three attempts of two rows');
    assert.match(text, /outbox_failed_total\{shard="0"\} 2/);
    assert.match(text, /outbox_backlog\{shard="0"\} 0/);
    assert.ok(
      (await db.localMessage.findMany()).every((r) => r.deadLetteredAt === null),
      'no dead letter while Kafka is down',
    );

    // Kafka is back: the next batch writes one dead-letter record per failed row and stamps the rows.
    const live = createOutboxActivities({ shards: [sql], producer, deadLetterTopic: dlqTopic });
    await live.relayBatch({ shard: 0, batchSize: 100 });
    const stamped = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    assert.ok(stamped.every((r) => r.deadLetteredAt !== null && r.status === OutboxStatus.FAILED));
    const consumer = kafka.consumer({ groupId: uniqueName('dlq-test') });
    await consumer.connect();
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    const letters: Record<string, string>[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${letters.length} dead letters arrived`)), 30_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          letters.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
          if (letters.length === 2) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    assert.deepEqual(letters.map((d) => d['message-id']).sort(), stamped.map((r) => r.messageId).sort());
    assert.ok(
      letters.every((d) => d['dlq-source-topic'] === topic && d['dlq-retries'] === '3' && d['dlq-reason']!.length > 0),
    );
    await live.relayBatch({ shard: 0, batchSize: 100 });
    assert.deepEqual(
      (await db.localMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => r.deadLetteredAt?.getTime()),
      stamped.map((r) => r.deadLetteredAt?.getTime()),
      'stamped rows are not dead-lettered again',
    );
    assert.deepEqual([1, 2, 3, 4, 5].map(backoffSeconds), [1, 2, 4, 8, 16]);
  });

  it('two relays draining at once publish every row exactly once, each order in sequence', async () => {
    await db.localMessage.deleteMany({});
    const orders = Array.from({ length: 30 }, (_, i) => 5000n + BigInt(i));
    const expected = new Map<string, string[]>();
    for (const order of orders)
      expected.set(
        order.toString(),
        await addRows(order, ['order.created', 'order.paid', 'stock.deduct', 'order.shipped']),
      );
    const relay = createOutboxActivities({ shards: [sql], producer, deadLetterTopic: dlqTopic });
    const drain = async (): Promise<number> => {
      let published = 0;
      for (let idle = 0; idle < 3;) {
        const r = await relay.relayBatch({ shard: 0, batchSize: 7 });
        published += r.published;
        idle = r.picked === 0 ? idle + 1 : 0;
      }
      return published;
    };
    const [a, b] = await Promise.all([drain(), drain()]);
    assert.equal(a + b, 120);
    assert.ok(a > 0 && b > 0, `both relays took a share (${a} / ${b})`);
    assert.equal(await db.localMessage.count({ where: { status: OutboxStatus.SENT } }), 120);

    const consumer = kafka.consumer({ groupId: uniqueName('relay-test-2') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Map<string, string[]>();
    let count = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${count} messages arrived`)), 30_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          const key = message.key!.toString();
          if (expected.has(key)) {
            seen.set(key, [...(seen.get(key) ?? []), message.headers!['message-id']!.toString()]);
            if (++count === 120) {
              clearTimeout(timer);
              resolve();
            }
          }
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    for (const [order, ids] of expected) assert.deepEqual(seen.get(order), ids, `order ${order}`);
  });
});
