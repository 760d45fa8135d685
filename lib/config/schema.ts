/** Shape and rules of DOOS configuration; `Config` is the validated, typed result every process receives. */
import { z } from 'zod';

const port = z.number().int().min(1).max(65535);
const mysqlDsn = z
  .string()
  .regex(/^mysql:\/\/[^:@/]+(:[^@]*)?@[^:/]+(:\d+)?\/\w+$/, 'expected mysql://user:password@host:port/database');
const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port');
const name = z.string().min(1);

export const configSchema = z
  .object({
    env: z.enum(['dev', 'test', 'prod']),
    api: z.object({ host: name, port }).strict(),
    shards: z
      .object({
        count: z.number().int().min(1).max(1024),
        dsns: z.array(mysqlDsn).min(1),
        poolSize: z.number().int().min(1),
      })
      .strict(),
    inventory: z.object({ dsn: mysqlDsn, poolSize: z.number().int().min(1) }).strict(),
    redis: z
      .object({ url: z.string().regex(/^rediss?:\/\//, 'expected redis://host:port/db'), keyPrefix: z.string() })
      .strict(),
    etcd: z
      .object({
        endpoints: z.array(z.url()).min(1),
        leaseTtlSeconds: z.number().int().min(2).max(300),
        snowflakePrefix: z.string().startsWith('/'),
      })
      .strict(),
    kafka: z
      .object({
        clientId: name,
        brokers: z.array(hostPort).min(1),
        topics: z.object({ orderEvents: name, stockDeduct: name, deadLetter: name }).strict(),
        consumerGroups: z.object({ inventory: name }).strict(),
        /** How long the broker waits for a silent consumer before giving its partitions to another. */
        consumerSessionTimeoutMs: z.number().int().min(6000).max(300_000),
      })
      .strict(),
    elasticsearch: z
      .object({
        node: z.url(),
        ordersIndex: name,
        replicas: z.number().int().min(0).max(5),
        refreshInterval: z.string().regex(/^\d+(ms|s)$/, 'expected an interval like 500ms or 1s'),
      })
      .strict(),
    temporal: z
      .object({
        address: hostPort,
        namespace: name,
        webUiUrl: z.url(),
        taskQueues: z.object({ orders: name, outboxRelay: name, cdcIndexer: name }).strict(),
      })
      .strict(),
    order: z
      .object({
        paymentTimeoutSeconds: z.number().int().min(1),
        sagaAnswerTimeoutSeconds: z.number().int().min(1).max(300),
        createDeadlineSeconds: z.number().int().min(5).max(3600),
        limits: z
          .object({
            maxLines: z.number().int().min(1).max(50),
            maxQuantityPerSku: z.number().int().min(1).max(100_000),
            maxAmount: z
              .string()
              .regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected an amount up to 99999999.99 (the DECIMAL(10,2) columns)'),
          })
          .strict(),
      })
      .strict(),
    reconcile: z
      .object({
        enabled: z.boolean(),
        intervalSeconds: z.number().int().min(10).max(86_400),
        graceSeconds: z.number().int().min(1).max(86_400),
        searchWindowMinutes: z.number().int().min(1).max(10_080),
        limit: z.number().int().min(1).max(10_000),
      })
      .strict(),
    relay: z
      .object({
        batchSize: z.number().int().min(1).max(1000),
        idleSleepMs: z.number().int().min(10).max(60_000),
        roundSeconds: z.number().int().min(1).max(3600),
      })
      .strict(),
    cdc: z
      .object({
        batchSize: z.number().int().min(1).max(1000),
        flushMs: z.number().int().min(10).max(60_000),
        roundSeconds: z.number().int().min(1).max(3600),
      })
      .strict(),
    metrics: z
      .object({ ordersWorkerPort: port, relayWorkerPort: port, cdcWorkerPort: port, consumerPort: port })
      .strict(),
    log: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']) }).strict(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.shards.dsns.length !== c.shards.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['shards', 'dsns'],
        message: `has ${c.shards.dsns.length} DSNs but shards.count is ${c.shards.count}`,
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
