/**
 * The JSON bodies the API answers with, as zod schemas: the OpenAPI document's response schemas (and Schemathesis
 * checks every response against them). Named ones become components of the document.
 */
import { ORDER_STATUSES } from '../lib/orders/status';
import { OUTBOX_STATUS_NAMES } from '../lib/outbox/outbox-table';
import { FINDING_KINDS } from '../lib/reconcile/findings';
import { z } from './zod';

const id = z.string().openapi({ example: '1234567890123456789' });
const money = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .openapi({ example: '25.00' });
const instant = z.string().openapi({ format: 'date-time' });
const count = z.number().int();

export const errorBody = z
  .object({ code: count, message: z.string(), details: z.unknown().optional() })
  .openapi('Error', { description: 'code from the error table, a message, and details where the code has them' });

export const healthBody = z.object({ status: z.literal('ok'), uptimeSeconds: count });

export const readiness = z
  .object({
    ready: z.boolean().openapi({ description: 'every required dependency answers' }),
    degraded: z.array(z.string()).openapi({ description: 'optional dependencies that do not answer' }),
    dependencies: z.array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        required: z.boolean(),
        latencyMs: count,
        error: z.string().optional(),
      }),
    ),
  })
  .openapi('Readiness');

export const inventory = z
  .object({ productId: id, skuId: id, available: count, locked: count, total: count })
  .openapi('Inventory');

export const product = z
  .object({
    productId: id,
    name: z.string(),
    description: z.string(),
    image: z.string(),
    skus: z.array(inventory.extend({ name: z.string(), image: z.string(), price: money })),
  })
  .openapi('Product');

export const productList = z.object({ items: z.array(product), total: count, page: count, pageSize: count });

const orderItem = z.object({
  productId: id,
  skuId: id,
  productName: z.string(),
  productImage: z.string(),
  price: money,
  quantity: count,
  subtotal: money,
});

const shippingAddress = z
  .object({
    name: z.string(),
    phone: z.string(),
    province: z.string().optional(),
    city: z.string().optional(),
    district: z.string().optional(),
    detail: z.string(),
    postalCode: z.string().optional(),
  })
  .openapi('ShippingAddress');

/** An order without its shipping address (as search returns it). */
const orderSummaryFields = {
  orderId: id,
  orderNo: z.string(),
  userId: id,
  shard: count,
  status: z.enum(ORDER_STATUSES),
  totalAmount: money,
  discountAmount: money,
  actualAmount: money,
  paymentMethod: z.string(),
  correlationId: z.string().nullable().openapi({ description: 'X-Request-Id of the request that placed the order' }),
  remark: z.string(),
  items: z.array(orderItem),
  createdAt: instant,
  updatedAt: instant,
  paidAt: instant.nullable(),
  shippedAt: instant.nullable(),
  completedAt: instant.nullable(),
  cancelledAt: instant.nullable(),
};

export const order = z.object({ ...orderSummaryFields, shippingAddress }).openapi('Order');

export const orderPage = z
  .object({ items: z.array(order), total: count, page: count, pageSize: count })
  .openapi('OrderPage');

const orderSummary = z.object(orderSummaryFields).openapi('OrderSummary', {
  description: 'an order as the search index holds it: no shipping address',
});

export const orderSearchPage = z
  .object({ items: z.array(orderSummary), total: count, page: count, pageSize: count })
  .openapi('OrderSearchPage');

export const dashboard = z
  .object({
    day: z
      .string()
      .openapi({ description: "the shop's day (its time zone) the figures are of", example: '2026-11-28' }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    todaySales: money,
    todayOrders: count,
    statusDistribution: z.object(Object.fromEntries(ORDER_STATUSES.map((s) => [s, count]))),
    ordersPerHour: z
      .array(z.object({ hour: instant, orders: count }))
      .max(25)
      .openapi({ description: 'every hour of the day (23 or 25 on a daylight-saving day), orders created in it' }),
    topProducts: z.array(z.object({ productId: id, productName: z.string(), quantity: count })).max(10),
    recentOrders: z.array(orderSummary).max(100),
  })
  .openapi('Dashboard');

export const sagaStatus = z
  .object({
    orderId: id,
    phase: z.string(),
    compensationParked: z.boolean(),
    history: z.array(
      z.object({
        step: z.string(),
        outcome: z.enum(['started', 'completed', 'failed', 'compensated', 'parked']),
        at: instant,
        detail: z.string().optional(),
      }),
    ),
    lastError: z.string().optional(),
    payBefore: instant
      .optional()
      .openapi({ description: 'while the order awaits payment: when the payment timeout cancels it' }),
  })
  .openapi('SagaStatus');

export const outboxMessage = z
  .object({
    messageId: z.string(),
    shard: count,
    orderId: id,
    topic: z.string(),
    eventType: z.string(),
    status: z.enum(OUTBOX_STATUS_NAMES),
    retryCount: count,
    maxRetry: count,
    nextRetryAt: instant.nullable(),
    errorMsg: z.string().nullable(),
    createdAt: instant,
    sentAt: instant.nullable(),
    correlationId: z
      .string()
      .nullable()
      .openapi({ description: 'the request id of the request whose change it announces' }),
  })
  .openapi('OutboxMessage');

export const outboxList = z.object({ items: z.array(outboxMessage) });
export const outboxRetried = z.object({ shards: z.array(z.object({ shard: count, retried: count })) });

export const cdcShardStatus = z
  .object({
    shard: count,
    checkpoint: z.string().nullable().openapi({ example: 'mariadb-bin.000002:4711' }),
    checkpointSavedAt: instant.nullable(),
    binlogEnd: z.string(),
    deadLetters: count,
  })
  .openapi('CdcShardStatus');

export const cdcStatus = z.object({ shards: z.array(cdcShardStatus) });

export const backfillProgress = z
  .object({
    shard: count,
    phase: z.enum(['snapshot', 'handover', 'done', 'failed']),
    total: count.openapi({ description: 'orders in the shard when it started' }),
    done: count,
    indexed: count,
    stale: count.openapi({ description: 'already indexed at the same or a newer version' }),
    deadLettered: count,
    lastId: z.string(),
    position: z.string().openapi({ description: 'binlog position taken before the snapshot' }),
    checkpoint: z.string().optional().openapi({ description: 'where the tail goes on from (when done)' }),
    error: z.string().optional(),
    startedAt: instant.openapi({ description: 'when this backfill started (which run the figures are of)' }),
  })
  .openapi('BackfillProgress');

export const backfillStarted = z
  .object({ workflowId: z.string(), started: z.boolean(), progress: backfillProgress.nullable() })
  .openapi('BackfillStarted');

export const reconcileFinding = z
  .object({
    kind: z.enum(FINDING_KINDS),
    shard: count.nullable(),
    orderId: id.nullable(),
    subject: z.string().openapi({ description: 'what the repair acts on: an order id or an outbox message id' }),
    detail: z.string(),
    repair: z.string().openapi({ description: 'what a run with repairs does about it' }),
  })
  .openapi('ReconcileFinding');

export const reconcileFindings = z.object({ findings: z.array(reconcileFinding) });

export const reconcileRun = z
  .object({
    workflowId: z.string(),
    result: z.object({
      found: count,
      repaired: count,
      failed: count,
      byKind: z.record(z.string(), count),
    }),
  })
  .openapi('ReconcileRun');

export const reconcileAudit = z.object({
  items: z.array(
    z
      .object({
        runId: z.string(),
        kind: z.string(),
        shard: count.nullable(),
        orderId: id.nullable(),
        subject: z.string(),
        finding: z.string(),
        action: z.string(),
        outcome: z.enum(['repaired', 'failed']),
        error: z.string().nullable(),
        at: instant,
      })
      .openapi('ReconcileRepair'),
  ),
});

export const registered = z.object({ userId: id }).openapi('Registered');

export const issuedTokens = z
  .object({
    accessToken: z.string().openapi({ description: 'JWT (HS256), sent as `Authorization: Bearer <token>`' }),
    refreshToken: z.string().openapi({ description: 'opaque; used once by POST /v1/auth/refresh' }),
    expiresIn: count.openapi({ description: 'seconds the access token lives' }),
    user: z.object({ userId: id, role: z.enum(['user', 'admin', 'ops']) }),
  })
  .openapi('Tokens');

export const me = z.object({ userId: id, username: z.string(), role: z.enum(['user', 'admin', 'ops']) }).openapi('Me');

export const auditPage = z
  .object({
    items: z.array(
      z.object({
        id,
        at: instant,
        actor: z.object({ userId: id, username: z.string(), role: z.string() }),
        action: z.string(),
        target: z.string(),
        detail: z.unknown(),
        outcome: count,
        ip: z.string(),
        userAgent: z.string(),
      }),
    ),
    total: count,
    page: count,
    pageSize: count,
  })
  .openapi('AuditPage');

export const payment = z
  .object({
    paymentId: z.string(),
    orderId: id,
    provider: z.string(),
    method: z.string(),
    amount: money,
    currency: z.string(),
    status: z.enum(['PENDING', 'APPROVED', 'DECLINED', 'REFUND_DUE']),
    providerTxnId: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi('Payment');
export const startedPayment = z.object({ payment, redirectUrl: z.string().optional() }).openapi('StartedPayment');
export const paymentList = z.object({ items: z.array(payment) }).openapi('PaymentList');
export const callbackAnswer = z
  .object({
    outcome: z.enum(['approved', 'declined', 'duplicate', 'refund-due']),
    payment,
  })
  .openapi('CallbackAnswer');

export const codecPayloads = z
  .object({
    payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
  })
  .openapi('CodecPayloadsAnswer');
export const codecSession = z
  .object({ role: z.enum(['user', 'admin', 'ops']), expiresIn: count })
  .openapi('CodecSession');

const traceStep = z.object({
  at: instant,
  process: z.string(),
  step: z.string(),
  correlationId: z.string().optional(),
  detail: z.string().optional(),
});

export const orderTraces = z
  .object({
    orders: z.array(
      z.object({
        orderId: id,
        shard: count,
        status: z.enum(ORDER_STATUSES),
        correlationId: z.string().nullable(),
        steps: z.array(traceStep),
        search: z.object({ indexed: z.boolean(), matchesRow: z.boolean(), status: z.enum(ORDER_STATUSES).optional() }),
      }),
    ),
  })
  .openapi('OrderTraces');
