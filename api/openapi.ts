/** The OpenAPI 3 document of the HTTP API, served at GET /v1/openapi.json (a test keeps it in step with the routes). */
import { ORDER_SORTS } from '../lib/search/order-queries';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const id = (name: string, where: 'path' | 'query' = 'path') => ({
  name,
  in: where,
  required: true,
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
});
const orderAction = (summary: string, refusals: string) => ({
  post: {
    tags: ['orders'],
    summary,
    parameters: [id('orderId')],
    requestBody: { required: true, content: json(ref('TransitionRequest')) },
    responses: {
      '200': { description: 'the updated order', content: json(ref('Order')) },
      '400': error('invalid parameter (10001)'),
      '404': error('order not found for this user (20001)'),
      '409': error(refusals),
      '503': error('the saga did not confirm in time (10004); read the order before repeating'),
    },
  },
});

const money = { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$', example: '25.00' };
const status = { type: 'string', enum: ['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'] };

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'DOOS API',
    version: '0.1.0',
    description:
      'Orders carried by a Temporal saga over sharded MariaDB. Ids are decimal strings, money is "12.50" strings. ' +
      'Errors are { code, message, details? } with the codes of DESIGN.md (10001 → 400, 10002 → 401, 10003 → 500, ' +
      '10004 → 503, 20001/30003/40001/40003 → 404, 20002/20003/20004/20005/30001/30002/40002 → 409).',
  },
  paths: {
    '/health': { get: { tags: ['ops'], summary: 'the process answers', responses: { '200': { description: 'up' } } } },
    '/ready': {
      get: {
        tags: ['ops'],
        summary: 'every dependency answers',
        responses: {
          '200': { description: 'ready', content: json(ref('Readiness')) },
          '503': { description: 'a dependency is down', content: json(ref('Readiness')) },
        },
      },
    },
    '/metrics': {
      get: { tags: ['ops'], summary: 'Prometheus metrics', responses: { '200': { description: 'text format' } } },
    },
    '/v1/openapi.json': {
      get: { tags: ['ops'], summary: 'this document', responses: { '200': { description: 'OpenAPI 3' } } },
    },
    '/v1/admin/inventory/{productId}/{skuId}': {
      put: {
        tags: ['catalog'],
        summary: 'create or update a SKU with its price and set its stock (available = stock, locked = 0)',
        parameters: [id('productId'), id('skuId')],
        requestBody: { required: true, content: json(ref('UpsertSku')) },
        responses: {
          '200': { description: 'the stock of the SKU', content: json(ref('Inventory')) },
          '400': error('invalid parameter (10001)'),
          '409': error('orders hold reservations on this SKU (30002)'),
        },
      },
    },
    '/v1/inventory/{productId}/{skuId}': {
      get: {
        tags: ['catalog'],
        summary: 'stock of a SKU',
        parameters: [id('productId'), id('skuId')],
        responses: {
          '200': { description: 'stock', content: json(ref('Inventory')) },
          '400': error('invalid parameter (10001)'),
          '404': error('unknown SKU (30003)'),
        },
      },
    },
    '/v1/products': {
      get: {
        tags: ['catalog'],
        summary: 'the catalog with stock',
        responses: {
          '200': {
            description: 'products',
            content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Product') } } }),
          },
        },
      },
    },
    '/v1/products/{productId}': {
      get: {
        tags: ['catalog'],
        summary: 'one product with its SKUs and their stock',
        parameters: [id('productId')],
        responses: {
          '200': { description: 'product', content: json(ref('Product')) },
          '404': error('unknown product (30003)'),
        },
      },
    },
    '/v1/orders': {
      post: {
        tags: ['orders'],
        summary: 'place an order; answered once it is persisted (stock reserved, row and outbox written)',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
            description: 'the same key from the same user returns the same order and reserves nothing twice',
          },
        ],
        requestBody: { required: true, content: json(ref('PlaceOrder')) },
        responses: {
          '201': { description: 'created', content: json(ref('Order')) },
          '200': {
            description: 'the order an earlier request with this Idempotency-Key created',
            content: json(ref('Order')),
          },
          '400': error('invalid parameter or unknown SKU (10001)'),
          '409': error('stock insufficient (30001) or double submit without a key (20004)'),
          '503': error('accepted but not confirmed in time (10004); repeat with the same Idempotency-Key'),
        },
      },
      get: {
        tags: ['orders'],
        summary: "a user's orders, newest first",
        parameters: [
          id('userId', 'query'),
          { name: 'status', in: 'query', required: false, schema: status },
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
          {
            name: 'pageSize',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        ],
        responses: {
          '200': { description: 'one page', content: json(ref('OrderPage')) },
          '400': error('invalid parameter (10001)'),
        },
      },
    },
    '/v1/orders/{orderId}': {
      get: {
        tags: ['orders'],
        summary: 'an order of the user',
        parameters: [id('orderId'), id('userId', 'query')],
        responses: { '200': { description: 'order', content: json(ref('Order')) }, '404': error('not found (20001)') },
      },
    },
    '/v1/orders/{orderId}/saga': {
      get: {
        tags: ['orders'],
        summary: "the order saga's phase and step history",
        parameters: [id('orderId'), id('userId', 'query')],
        responses: {
          '200': { description: 'saga state', content: json(ref('SagaStatus')) },
          '404': error('not found (20001)'),
        },
      },
    },
    '/v1/admin/outbox': {
      get: {
        tags: ['ops'],
        summary: 'outbox rows of every shard (newest first) with status, retries and last error',
        parameters: [
          {
            name: 'status',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['PENDING', 'SENT', 'CONFIRMED', 'FAILED'] },
          },
          { name: 'shard', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
          { name: 'orderId', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        ],
        responses: {
          '200': {
            description: 'rows',
            content: json({ type: 'object', properties: { items: { type: 'array', items: ref('OutboxMessage') } } }),
          },
          '400': error('invalid parameter (10001)'),
        },
      },
    },
    '/v1/admin/outbox/{messageId}/retry': {
      post: {
        tags: ['ops'],
        summary: 'put a failed (or pending) message back to pending with a fresh retry budget',
        parameters: [{ name: 'messageId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { description: 'the message, now pending', content: json(ref('OutboxMessage')) },
          '404': error('no such message (40001)'),
          '409': error('already published (40002)'),
        },
      },
    },
    '/v1/admin/outbox/retry-failed': {
      post: {
        tags: ['ops'],
        summary: 'put every failed message (of one shard or all) back to pending',
        parameters: [{ name: 'shard', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } }],
        responses: {
          '200': {
            description: 'how many per shard',
            content: json({
              type: 'object',
              properties: {
                shards: {
                  type: 'array',
                  items: { type: 'object', properties: { shard: { type: 'integer' }, retried: { type: 'integer' } } },
                },
              },
            }),
          },
        },
      },
    },
    '/v1/search/orders': {
      get: {
        tags: ['search'],
        summary:
          'orders of every shard from the search index (seconds behind the shards), filtered, paged and sorted; ' +
          'no shipping addresses',
        parameters: [
          { name: 'orderNo', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{11,32}$' } },
          { ...id('userId', 'query'), required: false },
          { name: 'status', in: 'query', required: false, schema: status },
          ...['from', 'to'].map((name) => ({
            name,
            in: 'query',
            required: false,
            description: 'createdAt bounds (inclusive), ISO 8601 with offset',
            schema: { type: 'string', format: 'date-time' },
          })),
          ...['minAmount', 'maxAmount'].map((name) => ({
            name,
            in: 'query',
            required: false,
            description: 'actualAmount bounds (inclusive)',
            schema: money,
          })),
          { ...id('productId', 'query'), required: false },
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
          {
            name: 'pageSize',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
          {
            name: 'sort',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: [...ORDER_SORTS], default: '-createdAt' },
          },
        ],
        responses: {
          '200': { description: 'one page of orders', content: json(ref('OrderSearchPage')) },
          '400': error('invalid parameter (10001); page × pageSize may not exceed 10000'),
          '503': error('the search index cannot be reached (10004)'),
        },
      },
    },
    '/v1/stats/dashboard': {
      get: {
        tags: ['search'],
        summary:
          "today's (UTC) orders, sales paid today, status distribution of today's orders, top 10 products by " +
          'quantity today (cancelled orders left out), and the latest 100 orders',
        responses: {
          '200': { description: 'the dashboard', content: json(ref('Dashboard')) },
          '400': error('invalid parameter (10001): it takes none'),
          '503': error('the search index cannot be reached (10004)'),
        },
      },
    },
    '/v1/admin/cdc': {
      get: {
        tags: ['ops'],
        summary: "each shard's CDC checkpoint, when it was saved, the binlog's end now, and its dead letters",
        responses: {
          '200': {
            description: 'per shard',
            content: json({ type: 'object', properties: { shards: { type: 'array', items: ref('CdcShardStatus') } } }),
          },
        },
      },
    },
    '/v1/admin/cdc/backfill': {
      post: {
        tags: ['ops'],
        summary:
          're-index a shard from a snapshot of its tables, then hand the tail the binlog position taken before it; ' +
          'joins the running backfill of that shard if there is one',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['shard'],
            additionalProperties: false,
            properties: { shard: { type: 'integer', minimum: 0 } },
          }),
        },
        responses: {
          '202': { description: 'started', content: json(ref('BackfillStarted')) },
          '200': { description: 'one was running: its progress', content: json(ref('BackfillStarted')) },
          '400': error('invalid parameter (10001), e.g. no such shard'),
        },
      },
    },
    '/v1/admin/cdc/backfill/{shard}': {
      get: {
        tags: ['ops'],
        summary: 'the latest backfill of a shard: progress while it runs, the result once done',
        parameters: [{ name: 'shard', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        responses: {
          '200': { description: 'progress', content: json(ref('BackfillProgress')) },
          '400': error('invalid parameter (10001)'),
          '404': error('no backfill of this shard has run (40003)'),
          '503': error('the backfill workflow did not answer, e.g. no CDC worker runs (10004)'),
        },
      },
    },
    '/v1/orders/{orderId}/pay': orderAction('pay a pending order', 'already paid (20003) or cancelled (20002)'),
    '/v1/orders/{orderId}/cancel': orderAction(
      'cancel a pending order; its stock is released',
      'already paid (20003) or cancelled (20002)',
    ),
    '/v1/orders/{orderId}/ship': orderAction(
      'ship a paid order',
      'not paid / already shipped (20005) or cancelled (20002)',
    ),
    '/v1/orders/{orderId}/complete': orderAction(
      'complete a shipped order',
      'not shipped (20005) or cancelled (20002)',
    ),
  },
  components: {
    schemas: {
      Error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'integer' }, message: { type: 'string' }, details: {} },
      },
      Readiness: {
        type: 'object',
        properties: {
          ready: { type: 'boolean' },
          dependencies: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                ok: { type: 'boolean' },
                latencyMs: { type: 'integer' },
                error: { type: 'string' },
              },
            },
          },
        },
      },
      UpsertSku: {
        type: 'object',
        required: ['name', 'price', 'stock'],
        properties: {
          name: { type: 'string' },
          price: money,
          stock: { type: 'integer', minimum: 0 },
          image: { type: 'string' },
          description: { type: 'string' },
        },
      },
      Inventory: {
        type: 'object',
        properties: {
          productId: { type: 'string' },
          skuId: { type: 'string' },
          available: { type: 'integer' },
          locked: { type: 'integer' },
          total: { type: 'integer' },
        },
      },
      Product: {
        type: 'object',
        properties: {
          productId: { type: 'string' },
          name: { type: 'string' },
          description: { type: 'string' },
          image: { type: 'string' },
          skus: {
            type: 'array',
            items: {
              allOf: [
                ref('Inventory'),
                { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' }, price: money } },
              ],
            },
          },
        },
      },
      PlaceOrder: {
        type: 'object',
        required: ['userId', 'items', 'shippingAddress', 'paymentMethod'],
        additionalProperties: false,
        properties: {
          userId: { type: 'string' },
          items: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: {
              type: 'object',
              required: ['productId', 'skuId', 'quantity'],
              additionalProperties: false,
              properties: {
                productId: { type: 'string' },
                skuId: { type: 'string' },
                quantity: { type: 'integer', minimum: 1, maximum: 999 },
              },
            },
          },
          shippingAddress: {
            type: 'object',
            required: ['name', 'phone', 'detail'],
            properties: {
              name: { type: 'string' },
              phone: { type: 'string' },
              province: { type: 'string' },
              city: { type: 'string' },
              district: { type: 'string' },
              detail: { type: 'string' },
              postalCode: { type: 'string' },
            },
          },
          paymentMethod: { type: 'string', enum: ['alipay', 'wechat', 'credit_card'] },
          remark: { type: 'string', maxLength: 500 },
        },
      },
      TransitionRequest: {
        type: 'object',
        required: ['userId'],
        properties: { userId: { type: 'string' }, reason: { type: 'string' }, paymentRef: { type: 'string' } },
      },
      Order: {
        type: 'object',
        properties: {
          orderId: { type: 'string' },
          orderNo: { type: 'string' },
          userId: { type: 'string' },
          shard: { type: 'integer' },
          status,
          totalAmount: money,
          discountAmount: money,
          actualAmount: money,
          paymentMethod: { type: 'string' },
          shippingAddress: { type: 'object' },
          remark: { type: 'string' },
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                productId: { type: 'string' },
                skuId: { type: 'string' },
                productName: { type: 'string' },
                productImage: { type: 'string' },
                price: money,
                quantity: { type: 'integer' },
                subtotal: money,
              },
            },
          },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          paidAt: { type: 'string', format: 'date-time', nullable: true },
          shippedAt: { type: 'string', format: 'date-time', nullable: true },
          completedAt: { type: 'string', format: 'date-time', nullable: true },
          cancelledAt: { type: 'string', format: 'date-time', nullable: true },
        },
      },
      OrderPage: {
        type: 'object',
        properties: {
          items: { type: 'array', items: ref('Order') },
          total: { type: 'integer' },
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
        },
      },
      OrderSearchPage: {
        type: 'object',
        properties: {
          items: { type: 'array', items: ref('Order'), description: 'orders without shippingAddress' },
          total: { type: 'integer' },
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
        },
      },
      Dashboard: {
        type: 'object',
        properties: {
          todaySales: money,
          todayOrders: { type: 'integer' },
          statusDistribution: {
            type: 'object',
            properties: Object.fromEntries(status.enum.map((s) => [s, { type: 'integer' }])),
          },
          topProducts: {
            type: 'array',
            maxItems: 10,
            items: {
              type: 'object',
              properties: {
                productId: { type: 'string' },
                productName: { type: 'string' },
                quantity: { type: 'integer' },
              },
            },
          },
          recentOrders: { type: 'array', maxItems: 100, items: ref('Order') },
        },
      },
      CdcShardStatus: {
        type: 'object',
        properties: {
          shard: { type: 'integer' },
          checkpoint: { type: 'string', nullable: true, example: 'mariadb-bin.000002:4711' },
          checkpointSavedAt: { type: 'string', format: 'date-time', nullable: true },
          binlogEnd: { type: 'string' },
          deadLetters: { type: 'integer' },
        },
      },
      BackfillProgress: {
        type: 'object',
        properties: {
          shard: { type: 'integer' },
          phase: { type: 'string', enum: ['snapshot', 'handover', 'done', 'failed'] },
          total: { type: 'integer', description: 'orders in the shard when it started' },
          done: { type: 'integer' },
          indexed: { type: 'integer' },
          stale: { type: 'integer', description: 'already indexed at the same or a newer version' },
          deadLettered: { type: 'integer' },
          lastId: { type: 'string' },
          position: { type: 'string', description: 'binlog position taken before the snapshot' },
          checkpoint: { type: 'string', description: 'where the tail goes on from (when done)' },
          error: { type: 'string' },
        },
      },
      BackfillStarted: {
        type: 'object',
        properties: {
          workflowId: { type: 'string' },
          started: { type: 'boolean' },
          progress: { ...ref('BackfillProgress'), nullable: true },
        },
      },
      OutboxMessage: {
        type: 'object',
        properties: {
          messageId: { type: 'string' },
          shard: { type: 'integer' },
          orderId: { type: 'string' },
          topic: { type: 'string' },
          eventType: { type: 'string' },
          status: { type: 'string', enum: ['PENDING', 'SENT', 'CONFIRMED', 'FAILED'] },
          retryCount: { type: 'integer' },
          maxRetry: { type: 'integer' },
          nextRetryAt: { type: 'string', format: 'date-time', nullable: true },
          errorMsg: { type: 'string', nullable: true },
          createdAt: { type: 'string', format: 'date-time' },
          sentAt: { type: 'string', format: 'date-time', nullable: true },
        },
      },
      SagaStatus: {
        type: 'object',
        properties: {
          orderId: { type: 'string' },
          phase: { type: 'string' },
          compensationParked: { type: 'boolean' },
          lastError: { type: 'string' },
          history: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                step: { type: 'string' },
                outcome: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
                detail: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;
