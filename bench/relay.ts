/**
 * Outbox relay benchmark. Capacity: M outbox rows (3 per order, as order.created / order.paid / stock.deduct) made due
 * at one instant on both shards, drained by the real relay worker process — messages/s from that instant to the last
 * Kafka ack — against a plain batched kafkajs producer sending the same records on the same broker. Lag: for the rows
 * the order benchmark wrote, row written -> Kafka ack (`sent_at - created_at`), read back from the shards.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { loadConfig, type Config } from '../lib/config';
import { createShardPrisma, type ShardPrismaClient } from '../lib/db/prisma';
import { createKafka, createRelayProducer } from '../lib/kafka/client';
import { TOPIC_PARTITIONS } from '../lib/kafka/topics';
import { ms, summarize, type LatencySummary } from './lib/stats';
import { OutboxStatus } from '../lib/outbox/outbox-table';

export interface RelayCapacityResult {
  messages: number;
  relayPerSecond: number;
  producerPerSecond: number;
}

export interface RelayLagResult {
  label: string;
  rows: number;
  /** Rows still unsent when the wait ended (0 unless the relay fell behind). */
  unsent: number;
  lag: LatencySummary;
}

const EVENTS = ['order.created', 'order.paid', 'stock.deduct'] as const;
/** A year no bench row reaches before the benchmark releases them all at once. */
const NOT_YET = new Date('2100-01-01T00:00:00Z');

interface BenchRow {
  messageId: string;
  txId: bigint;
  eventType: string;
  payload: OrderEventLike;
}

/** The fields of an order event the benchmark's rows carry (JSON values only). */
interface OrderEventLike {
  [field: string]: string | { productId: string; skuId: string; quantity: number; price: string }[];
}

/** Rows shaped like real order events (an order.created payload is ~340 bytes). */
function benchRows(count: number, firstOrder: bigint): BenchRow[] {
  return Array.from({ length: count }, (_, i) => {
    const orderId = firstOrder + BigInt(Math.floor(i / EVENTS.length));
    const eventType = EVENTS[i % EVENTS.length]!;
    return {
      messageId: randomUUID(),
      txId: orderId,
      eventType,
      payload: {
        eventType,
        orderId: orderId.toString(),
        orderNo: `20261125${String(i % 2).padStart(2, '0')}${orderId}`,
        userId: String(1_000_000 + i),
        status: 'PENDING_PAYMENT',
        totalAmount: '42.00',
        actualAmount: '42.00',
        items: [{ productId: '9000000001', skuId: '7', quantity: 1, price: '42.00' }],
        occurredAt: new Date().toISOString(),
      },
    };
  });
}

/** The record the relay publishes for a row (same key, value and headers). */
function recordOf(r: BenchRow): Message {
  const key = r.txId.toString();
  return {
    key,
    value: JSON.stringify(r.payload),
    headers: { 'message-id': r.messageId, 'event-type': r.eventType, 'correlation-id': key },
  };
}

async function insertNotYetDue(db: ShardPrismaClient, topic: string, rows: BenchRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.localMessage.createMany({
      data: rows.slice(i, i + 1000).map((r) => ({ ...r, topic, payload: r.payload, nextRetryAt: NOT_YET })),
    });
  }
}

/**
 * Relay capacity against a plain producer. Needs a relay worker running (the system's). The rows go to a
 * topic of the benchmark's own, deleted afterwards, so no consumer sees them.
 */
export async function benchRelayCapacity(messages: number, batchSize: number): Promise<RelayCapacityResult> {
  const config = loadConfig();
  const shards = config.shards.dsns.map((dsn) => createShardPrisma(dsn, 4));
  const kafka = createKafka(config, 'bench');
  const topic = `doos.bench.relay-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: TOPIC_PARTITIONS, replicationFactor: 1 }],
  });
  try {
    const perShard = Math.ceil(messages / shards.length / EVENTS.length) * EVENTS.length;
    const firstOrder = BigInt(Date.now()) * 1_000_000n;
    const rowsOf = shards.map((_, s) => benchRows(perShard, firstOrder + BigInt(s * perShard)));

    const producerPerSecond = await plainProducerRate(config, topic, rowsOf, batchSize);

    await Promise.all(shards.map((db, s) => insertNotYetDue(db, topic, rowsOf[s]!)));
    // One instant for both shards, a moment ahead so that both updates are committed before it.
    const releaseAt = new Date(Date.now() + 1500);
    await Promise.all(
      shards.map((db) =>
        db.localMessage.updateMany({
          where: { topic, status: OutboxStatus.PENDING },
          data: { nextRetryAt: releaseAt },
        }),
      ),
    );
    const deadline = Date.now() + 600_000;
    for (;;) {
      const pending = await Promise.all(
        shards.map((db) => db.localMessage.count({ where: { topic, status: OutboxStatus.PENDING } })),
      );
      if (pending.every((n) => n === 0)) break;
      if (Date.now() > deadline) throw new Error(`relay did not drain the bench rows: ${pending.join(', ')} left`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const lastAcks = await Promise.all(
      shards.map((db) => db.localMessage.aggregate({ where: { topic }, _max: { sentAt: true } })),
    );
    const lastAck = Math.max(...lastAcks.map((a) => a._max.sentAt?.getTime() ?? 0));
    const total = perShard * shards.length;
    return { messages: total, relayPerSecond: total / ((lastAck - releaseAt.getTime()) / 1000), producerPerSecond };
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await Promise.all(shards.map((db) => db.$disconnect()));
  }
}

/** The same records from one producer with the relay's settings, one batch in flight per shard as the relay has. */
async function plainProducerRate(
  config: Config,
  topic: string,
  rowsOf: BenchRow[][],
  batchSize: number,
): Promise<number> {
  const producer = createRelayProducer(createKafka(config, 'bench-producer'));
  await producer.connect();
  try {
    const warm = benchRows(batchSize, 1n).map(recordOf);
    await producer.send({ topic, acks: -1, messages: warm });
    const t0 = performance.now();
    await Promise.all(
      rowsOf.map(async (rows) => {
        for (let i = 0; i < rows.length; i += batchSize) {
          await producer.sendBatch({
            acks: -1,
            topicMessages: [{ topic, messages: rows.slice(i, i + batchSize).map(recordOf) }],
          });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return rowsOf.flat().length / seconds;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Commit -> Kafka-ack lag of the outbox rows written between `from` and `to` (the order benchmark's phases), waiting
 * up to `waitMs` for the relay to send them.
 */
export async function relayLagOf(label: string, from: Date, to: Date, waitMs = 60_000): Promise<RelayLagResult> {
  const config = loadConfig();
  const shards = config.shards.dsns.map((dsn) => createShardPrisma(dsn, 2));
  try {
    const where = {
      createdAt: { gte: from, lte: to },
      topic: { in: [config.kafka.topics.orderEvents, config.kafka.topics.stockDeduct] },
    };
    const deadline = Date.now() + waitMs;
    let unsent = 0;
    do {
      unsent = (
        await Promise.all(
          shards.map((db) => db.localMessage.count({ where: { ...where, status: OutboxStatus.PENDING } })),
        )
      ).reduce((a, b) => a + b, 0);
      if (unsent > 0) await new Promise((r) => setTimeout(r, 200));
    } while (unsent > 0 && Date.now() < deadline);
    const rows = (
      await Promise.all(
        shards.map((db) =>
          db.localMessage.findMany({
            where: { ...where, status: OutboxStatus.SENT },
            select: { createdAt: true, sentAt: true },
          }),
        ),
      )
    ).flat();
    const lags = rows.map((r) => (r.sentAt?.getTime() ?? NaN) - r.createdAt.getTime());
    return { label, rows: rows.length, unsent, lag: summarize(lags) };
  } finally {
    await Promise.all(shards.map((db) => db.$disconnect()));
  }
}

/** The capacity figures, and with an order run's figures the relay's headroom over it and its lags. */
export function printRelayBench(
  capacity: RelayCapacityResult,
  lags: RelayLagResult[] = [],
  ordersPerSecond?: number,
): void {
  console.log(`outbox relay: ${capacity.messages} messages made due at once on ${loadConfig().shards.count} shards`);
  console.log(
    `  relay capacity      ${capacity.relayPerSecond.toFixed(0)} messages/s (relay worker process, row due -> last ack)`,
  );
  console.log(
    `  plain producer      ${capacity.producerPerSecond.toFixed(0)} messages/s (same records, batches, broker)`,
  );
  console.log(`  relay / producer    ${((capacity.relayPerSecond / capacity.producerPerSecond) * 100).toFixed(1)} %`);
  if (ordersPerSecond !== undefined) {
    console.log(
      `  relay / order rate  ${(capacity.relayPerSecond / ordersPerSecond).toFixed(1)} x (${ordersPerSecond.toFixed(1)} orders/s measured above)`,
    );
  }
  for (const l of lags) {
    console.log(
      `  lag ${l.label.padEnd(16)} p50 ${ms(l.lag.p50)}  p95 ${ms(l.lag.p95)}  p99 ${ms(l.lag.p99)}  max ${ms(l.lag.max)}  (${l.rows} rows${l.unsent ? `, ${l.unsent} unsent` : ''})`,
    );
  }
}
