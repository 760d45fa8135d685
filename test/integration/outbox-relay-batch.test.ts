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
import { createKafka, FreshAfterFailureProducer } from '../../lib/kafka/client';
import { ensureTopics } from '../../lib/kafka/topics';
import {
  createOutboxActivities,
  backoffSeconds,
  unreachableBackoffMs,
  type RelayShardInput,
  type RelayShardResult,
} from '../../activities/outbox-activities';
import { Registry } from 'prom-client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOutboxMetrics } from '../../lib/metrics/outbox-metrics';
import { findDueIds, OutboxStatus } from '../../lib/outbox/outbox-table';

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

  /** Reads the topic from its start until every expected record arrived; each order's message ids in sequence. */
  async function assertEachOrderInSequence(expected: Map<string, string[]>): Promise<void> {
    const total = [...expected.values()].reduce((n, ids) => n + ids.length, 0);
    const consumer = kafka.consumer({ groupId: uniqueName('relay-test-order') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Map<string, string[]>();
    let count = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${count} of ${total} messages arrived`)), 30_000);
      void consumer.run({
        eachMessage: ({ message }) => {
          const key = message.key!.toString();
          if (expected.has(key)) {
            seen.set(key, [...(seen.get(key) ?? []), message.headers!['message-id']!.toString()]);
            if (++count === total) {
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

  it('when Kafka cannot be reached, rows stay pending with the error kept and no retry spent, then go out', async () => {
    await db.localMessage.deleteMany({});
    await addRows(2001n, ['order.created', 'order.paid'], 2);
    const dead = new Kafka({
      clientId: 'dead',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 300,
    });
    const registry = new Registry();
    const relay = createOutboxActivities({
      shards: [sql],
      producer: new FreshAfterFailureProducer(() => dead.producer({ retry: { retries: 0 } })),
      deadLetterTopic: dlqTopic,
      metrics: createOutboxMetrics(registry, () =>
        Promise.all([db.localMessage.count({ where: { status: OutboxStatus.PENDING } })]),
      ),
    });

    // More attempts than max_retry (2): an unreachable broker is the relay waiting, not the rows failing (they were
    // failed after ~31 s of outage).
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(await relay.relayBatch({ shard: 0, batchSize: 100 }), {
        picked: 2,
        published: 0,
        retrying: 2,
        failed: 0,
        unreachable: true,
      });
    }
    const rows = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    for (const row of rows) {
      assert.deepEqual([row.status, row.retryCount, row.nextRetryAt], [OutboxStatus.PENDING, 0, null]);
      assert.ok(row.errorMsg && row.errorMsg.length > 0, 'the error is kept on the row');
    }
    const text = await registry.metrics();
    assert.match(text, /outbox_publish_failures_total\{shard="0"\} 8/, 'four attempts of two rows');
    assert.doesNotMatch(text, /outbox_failed_total\{shard="0"\} [1-9]/);
    // The relay itself backs off between such batches: 1, 2, 4, 8 s, then every 10 s.
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(unreachableBackoffMs), [1000, 2000, 4000, 8000, 10000, 10000, 10000]);

    const live = createOutboxActivities({ shards: [sql], producer, deadLetterTopic: dlqTopic });
    assert.equal((await live.relayBatch({ shard: 0, batchSize: 100 })).published, 2);
    const sent = await db.localMessage.findMany({ orderBy: { id: 'asc' } });
    assert.ok(sent.every((r) => r.status === OutboxStatus.SENT && r.errorMsg === null));
  });

  it('a record Kafka refuses (larger than the broker takes) fails alone after its retries; the rest goes out', async () => {
    await db.localMessage.deleteMany({});
    const [tooLarge, later] = await addRows(3001n, ['order.created', 'order.paid'], 1);
    await db.localMessage.update({
      where: { messageId: tooLarge! },
      data: { payload: { eventType: 'order.created', remark: 'x'.repeat(1_200_000) } },
    });
    const [other] = await addRows(3002n, ['order.created']);
    const registry = new Registry();
    const relay = createOutboxActivities({
      shards: [sql],
      producer: new FreshAfterFailureProducer(() =>
        kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner }),
      ),
      deadLetterTopic: dlqTopic,
      metrics: createOutboxMetrics(registry, () =>
        Promise.all([db.localMessage.count({ where: { status: OutboxStatus.PENDING } })]),
      ),
    });
    const rowOf = async (messageId: string) => (await db.localMessage.findUnique({ where: { messageId } }))!;

    // The batch is refused for the large record: sent one by one, the other order's row goes out, the large one is
    // charged a retry, and its order's later row waits behind it.
    assert.deepEqual(await relay.relayBatch({ shard: 0, batchSize: 100 }), {
      picked: 3,
      published: 1,
      retrying: 2,
      failed: 0,
    });
    assert.equal((await rowOf(other!)).status, OutboxStatus.SENT);
    const charged = await rowOf(tooLarge!);
    assert.deepEqual([charged.status, charged.retryCount], [OutboxStatus.PENDING, 1]);
    assert.match(charged.errorMsg ?? '', /larger than the max message size/);
    assert.deepEqual([(await rowOf(later!)).status, (await rowOf(later!)).retryCount], [OutboxStatus.PENDING, 0]);

    // Refused again after its backoff: max_retry (1) is spent, the row is failed; its order's next row goes out.
    await db.localMessage.update({ where: { messageId: tooLarge! }, data: { nextRetryAt: new Date(Date.now() - 1) } });
    const second = await relay.relayBatch({ shard: 0, batchSize: 100 });
    assert.deepEqual([second.failed, second.unreachable], [1, undefined]);
    assert.equal((await rowOf(tooLarge!)).status, OutboxStatus.FAILED);
    await relay.relayBatch({ shard: 0, batchSize: 100 });
    assert.equal((await rowOf(later!)).status, OutboxStatus.SENT);
    // Its dead letter goes without the payload the broker refuses (kept in the row).
    assert.ok((await rowOf(tooLarge!)).deadLetteredAt, 'the failed row got its dead-letter record');
    assert.match(await registry.metrics(), /outbox_failed_total\{shard="0"\} 1/);
    // A refused record's retries wait 1, 2, 4 … s.
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

    await assertEachOrderInSequence(expected);
  });

  it('finds due rows by reading about as many index entries as it returns, however many rows were sent before', async () => {
    await db.localMessage.deleteMany({});
    // A backlog of 20,000 (Kafka was away) behind 20,000 sent rows (none is ever purged): the relay's batches must
    // neither walk the sent rows nor sort the backlog to find the next 400.
    const fill = (status: number, from: number, to: number) =>
      sql.write(
        `INSERT INTO t_local_message (message_id, tx_id, topic, event_type, payload, status)
         SELECT UUID(), seq, ?, 'order.created', '{}', ? FROM seq_${from}_to_${to}`,
        [topic, status],
      );
    await fill(OutboxStatus.SENT, 1, 20_000);
    await fill(OutboxStatus.PENDING, 20_001, 40_000);
    await sql.write('ANALYZE TABLE t_local_message');
    const [first] = await sql.rows<{ id: bigint }>(
      `SELECT MIN(id) AS id FROM t_local_message WHERE status = ${OutboxStatus.PENDING}`,
    );
    const conn = await mysql.createConnection({ ...server, database });
    try {
      const session = {
        rows: async <Row>(text: string, values: readonly (string | number | bigint | null)[] = []) =>
          (
            await conn.execute(
              text,
              values.map((v) => (typeof v === 'bigint' ? v.toString() : v)),
            )
          )[0] as Row[],
        write: () => Promise.reject(new Error('read only')),
      };
      await conn.query('FLUSH STATUS');
      const due = await findDueIds(session, 400);
      const [counters] = await conn.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Handler_read%'");
      const read = counters.reduce((sum, c) => sum + Number(c.Value), 0);
      assert.equal(due.length, 400);
      assert.equal(BigInt(due[0]!), first!.id);
      assert.ok(read < 2_000, `findDueIds read ${read} index entries and rows for ${due.length} due rows`);
    } finally {
      await conn.end();
    }
  });

  it('relayShard drains a backlog with two lanes, each row once and each order in sequence; idle, one lane polls', async () => {
    await db.localMessage.deleteMany({});
    const expected = new Map<string, string[]>();
    for (let i = 0; i < 40; i++) {
      const order = 7000n + BigInt(i);
      expected.set(order.toString(), await addRows(order, ['order.created', 'order.paid', 'stock.deduct']));
    }
    const pacing = { batchSize: 7, idleSleepMs: 100, runForMs: 2000, lanes: 2 };
    const relay = createOutboxActivities({ shards: [sql], producer, deadLetterTopic: dlqTopic, pacing });
    const drained = await new MockActivityEnvironment().run<
      [RelayShardInput],
      RelayShardResult,
      typeof relay.relayShard
    >(relay.relayShard, { shard: 0 });
    assert.equal(drained.published, 120);
    assert.equal(await db.localMessage.count({ where: { status: OutboxStatus.SENT } }), 120);
    await assertEachOrderInSequence(expected);

    // Nothing due for 2 s: the polling lane's batches alone, one per pause (about 20), not the second lane's too.
    const idle = await new MockActivityEnvironment().run<[RelayShardInput], RelayShardResult, typeof relay.relayShard>(
      relay.relayShard,
      { shard: 0 },
    );
    assert.equal(idle.published, 0);
    assert.ok(idle.batches >= 5 && idle.batches <= 21, `${idle.batches} batches in 2 s idle`);
  });
  it('a batch that throws while the other lanes are busy fails relayShard at once, and no lane goes on after it', async () => {
    await db.localMessage.deleteMany({});
    for (let i = 0; i < 100; i++) await addRows(8000n + BigInt(i), ['order.created', 'order.paid']);
    // The shard as the relay sees it: its fourth transaction breaks (a lost connection), whichever lane runs it.
    let transactions = 0;
    let statements = 0;
    const breaking: SqlPool = {
      rows: (q, v) => (statements++, sql.rows(q, v)),
      write: (q, v) => (statements++, sql.write(q, v)),
      transaction: (work, options) => {
        statements++;
        if (++transactions === 4) return Promise.reject(new Error('the shard connection was lost (test)'));
        return sql.transaction(work, options);
      },
      close: () => Promise.resolve(),
    };
    const pacing = { batchSize: 5, idleSleepMs: 100, runForMs: 10_000, lanes: 3 };
    const relay = createOutboxActivities({ shards: [breaking], producer, deadLetterTopic: dlqTopic, pacing });
    const started = Date.now();
    await assert.rejects(
      new MockActivityEnvironment().run<[RelayShardInput], RelayShardResult, typeof relay.relayShard>(
        relay.relayShard,
        { shard: 0 },
      ),
      /connection was lost/,
    );
    assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms, not at the end of its run`);
    const atFailure = statements;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(statements, atFailure, 'no lane issued a statement after the activity failed');
    const sent = await db.localMessage.count({ where: { status: OutboxStatus.SENT } });
    assert.ok(sent > 0 && sent < 200, `${sent} rows sent before the failure, the rest left for the next attempt`);
  });
});
