/** Shape and rules of DOOS configuration; `Config` is the validated, typed result every process receives. */
import { z } from 'zod';
import { isTimeZone } from '../time/shop-day';

const port = z.number().int().min(1).max(65535);
const mysqlDsn = z
  .string()
  .regex(/^mysql:\/\/[^:@/]+(:[^@]*)?@[^:/]+(:\d+)?\/\w+$/, 'expected mysql://user:password@host:port/database');
const hostPort = z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port');
const name = z.string().min(1);

/** `<keyId>:<secret>`: a key id (letters, digits, - _ .) and a secret of at least 32 characters. */
const keyEntry = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,32}:.{32,}$/, 'expected <keyId>:<secret> with a secret of at least 32 characters');
/** `<keyId>:<base64 of 32 bytes>`: an AES-256 key for personal data and workflow payloads. */
const aesKeyEntry = z
  .string()
  .regex(
    /^[A-Za-z0-9_.-]{1,32}:[A-Za-z0-9+/]{43}=$/,
    'expected <keyId>:<base64 of 32 bytes> (openssl rand -base64 32)',
  );

/** At most `points` requests per `seconds` for one key (a user, an IP address, an account). */
const rateWindow = z
  .object({
    points: z.number().int().min(1).max(1_000_000),
    seconds: z.number().int().min(1).max(86_400),
  })
  .strict();
/** A window whose key, once over its points, stays refused for `blockSeconds` (a lockout that can be outwaited). */
const lockout = rateWindow.extend({ blockSeconds: z.number().int().min(1).max(86_400) }).strict();
const perUserAndIp = z.object({ perUser: rateWindow, perIp: rateWindow }).strict();

/** Dev key ids and secrets say so; the prod configuration refuses them. */
const DEV_MARKERS = /^dev[-_]|^[^:]*:dev-insecure/;

export const configSchema = z
  .object({
    env: z.enum(['dev', 'test', 'prod']),
    api: z
      .object({
        host: name,
        port,
        /** Browser origins allowed to call the API (CORS); none: no cross-origin browser calls. */
        corsOrigins: z.array(z.url()),
        /**
         * How many proxies in front of the API set X-Forwarded-For (0: none, the peer's address is the client's). A
         * client can write any X-Forwarded-For it likes; only the hops trusted here are believed.
         */
        trustProxyHops: z.number().int().min(0).max(10),
      })
      .strict(),
    /** Request rates per user and per IP address, and the login lockout, kept in Redis (api/rate-limits.ts). */
    rateLimits: z
      .object({
        placeOrder: perUserAndIp,
        /** Every other act (POST, PUT) on a route that takes a token. */
        act: perUserAndIp,
        /** Every GET but the probes and metrics; a public GET counts by IP only. */
        read: perUserAndIp,
        /** Accounts created from one address (each costs a memory-hard hash). */
        register: z.object({ perIp: rateWindow }).strict(),
        /** Logins and refreshes from one address, failed or not (each login costs a memory-hard hash). */
        login: z.object({ perIp: rateWindow }).strict(),
        /** Failed logins: of one account from anywhere, and from one address over any accounts. */
        loginFailures: z.object({ perAccount: lockout, perIp: lockout }).strict(),
      })
      .strict(),
    shards: z
      .object({
        // At most 16: an order id carries its shard in 4 bits (lib/ids/order-id.ts).
        count: z.number().int().min(1).max(16),
        dsns: z.array(mysqlDsn).min(1),
        poolSize: z.number().int().min(1),
      })
      .strict(),
    inventory: z.object({ dsn: mysqlDsn, poolSize: z.number().int().min(1) }).strict(),
    /** Accounts and sessions: their own database (on the inventory instance here). */
    accounts: z.object({ dsn: mysqlDsn, poolSize: z.number().int().min(1) }).strict(),
    auth: z
      .object({
        issuer: name,
        accessTokenSeconds: z.number().int().min(60).max(86_400),
        refreshTokenSeconds: z
          .number()
          .int()
          .min(3600)
          .max(90 * 86_400),
        /** Key id of the key new tokens are signed with; every key in signingKeys still verifies. */
        signingKeyId: name,
        signingKeys: z.array(keyEntry).min(1),
        /** scrypt cost as log2(N) (memory = 128 × 8 × N bytes: 15 → 32 MiB per hash). */
        passwordCostLog2: z.number().int().min(14).max(20),
        /** How long a process trusts what it read of a session (revoked? role?) before asking the database again. */
        sessionCheckSeconds: z.number().int().min(0).max(60),
        /** Accounts `make up` creates if absent, as `<username>:<password>:<role>` (dev only). */
        seedUsers: z.array(z.string().regex(/^[a-z0-9_.-]{3,32}:[^:]{8,}:(user|admin|ops)$/)),
      })
      .strict(),
    /** Encryption of personal data at rest and of workflow payloads (lib/privacy). */
    privacy: z
      .object({
        /** Key new data is encrypted with; every key in `keys` still decrypts. */
        keyId: name,
        keys: z.array(aesKeyEntry).min(1),
      })
      .strict(),
    /** Alerts Alertmanager delivers to the API (api/routes/alerts.ts). */
    alerts: z
      .object({
        /** The bearer token Alertmanager presents to POST /v1/alerts/webhook (its credentials_file holds the same). */
        webhookToken: z.string().min(32),
      })
      .strict(),
    /** Payments (lib/payments): the provider orders are paid through, and how its callbacks are checked. */
    payments: z
      .object({
        /** `sandbox`: the built-in provider for dev, tests and benchmarks (lib/payments/sandbox-provider.ts). */
        provider: z.enum(['sandbox']),
        /** Where the provider sends its callbacks; empty: this API's own address (api.host:api.port). */
        callbackUrl: z.union([z.literal(''), z.url()]),
        /** HMAC-SHA256 key shared with the provider: it signs each callback with it. */
        callbackSecret: z.string().min(32),
        /** A callback signed longer ago (or further ahead) than this is refused: a replay of an old one changes nothing. */
        toleranceSeconds: z.number().int().min(10).max(3600),
        currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like CNY'),
        /** Sandbox only: how many times it delivers a callback the API did not acknowledge (backing off from 0.5 s). */
        sandboxDeliveryAttempts: z.number().int().min(1).max(20),
      })
      .strict(),
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
        /** The SDK's per-promise workflow stack traces (lib/temporal/workflow-threads.ts); off, they cost no CPU. */
        workflowStackTraces: z.boolean(),
      })
      .strict(),
    shop: z
      .object({
        /** IANA time zone of the shop: its "today" on the dashboard (Asia/Shanghai for the original market). */
        timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Asia/Shanghai or UTC'),
      })
      .strict(),
    order: z
      .object({
        paymentTimeoutSeconds: z.number().int().min(1),
        sagaAnswerTimeoutSeconds: z.number().int().min(1).max(300),
        createDeadlineSeconds: z.number().int().min(5).max(3600),
        /** Attempts of a compensation (release stock, void an order) before the saga parks for an operator. */
        compensationAttempts: z.number().int().min(1).max(100),
        /** When a saga counts as stuck (doos saga list --stuck, docs/operations.md "Stuck sagas"). */
        stuck: z
          .object({
            /** Reserving or creating for longer than this. */
            creatingSeconds: z.number().int().min(1).max(86_400),
            /** An activity failing at this attempt or later (reported by the worker: activityRetrying). */
            attempts: z.number().int().min(2).max(1000),
          })
          .strict(),
        /** How long after shipping the saga confirms receipt by itself (a durable timer) if the buyer has not. */
        autoConfirmReceiptSeconds: z
          .number()
          .int()
          .min(1)
          .max(90 * 86_400),
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
        lanes: z.number().int().min(1).max(8),
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
      .object({
        ordersWorkerPort: port,
        relayWorkerPort: port,
        cdcWorkerPort: port,
        consumerPort: port,
        /** Prometheus' HTTP API, which the ops console's figures come from (GET /v1/admin/figures). */
        prometheusUrl: z.url(),
      })
      .strict(),
    log: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']) }).strict(),
    /** OpenTelemetry traces of every process (lib/tracing), exported to Zipkin. */
    tracing: z
      .object({
        enabled: z.boolean(),
        /** Zipkin's span intake (POST /api/v2/spans). */
        zipkinUrl: z.url(),
        /** Share of new traces recorded (0–1); a request that arrives with a sampled trace context is always recorded. */
        sampleRatio: z.number().min(0).max(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const keyIds = c.auth.signingKeys.map((k) => k.slice(0, k.indexOf(':')));
    if (!keyIds.includes(c.auth.signingKeyId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'signingKeyId'],
        message: `no key ${c.auth.signingKeyId} in auth.signingKeys`,
      });
    }
    if (!c.privacy.keys.some((k) => k.startsWith(`${c.privacy.keyId}:`))) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacy', 'keyId'],
        message: `no key ${c.privacy.keyId} in privacy.keys`,
      });
    }
    if (c.env === 'prod') {
      c.privacy.keys.forEach((k, i) => {
        if (DEV_MARKERS.test(k)) {
          ctx.addIssue({
            code: 'custom',
            path: ['privacy', 'keys', i],
            message:
              'a development key may not encrypt personal data in prod; set DOOS_PRIVACY_KEYS to keys of your own',
          });
        }
      });
      c.auth.signingKeys.forEach((k, i) => {
        if (DEV_MARKERS.test(k)) {
          ctx.addIssue({
            code: 'custom',
            path: ['auth', 'signingKeys', i],
            message: 'a development key may not sign tokens in prod; set DOOS_AUTH_SIGNING_KEYS to keys of your own',
          });
        }
      });
      if (DEV_MARKERS.test(`:${c.payments.callbackSecret}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['payments', 'callbackSecret'],
          message: 'a development secret; set DOOS_PAYMENTS_CALLBACK_SECRET to the one shared with the provider',
        });
      }
      if (DEV_MARKERS.test(`:${c.alerts.webhookToken}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', 'webhookToken'],
          message: 'a development token; set DOOS_ALERTS_WEBHOOK_TOKEN to the one Alertmanager presents',
        });
      }
      if (c.auth.seedUsers.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['auth', 'seedUsers'], message: 'prod creates no accounts by itself' });
      }
    }
    if (c.shards.dsns.length !== c.shards.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['shards', 'dsns'],
        message: `has ${c.shards.dsns.length} DSNs but shards.count is ${c.shards.count}`,
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
