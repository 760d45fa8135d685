/** Operator routes over the outbox: list rows with their status, retries and error; retry one or every failed row. */
import { OUTBOX_STATUS_NAMES } from '../../lib/outbox/outbox-table';
import { route, type RouteSpec } from '../route';
import { outboxList, outboxMessage, outboxRetried } from '../responses';
import type { OutboxService } from '../services/outbox-service';
import { idString, intParam, shardNumber } from '../validation';
import { z } from '../zod';

export function outboxRoutes(outbox: OutboxService, shards: number): RouteSpec[] {
  const listQuery = z
    .object({
      status: z.enum(OUTBOX_STATUS_NAMES).optional(),
      shard: shardNumber(shards).optional(),
      orderId: idString.optional(),
      limit: intParam(1, 1000).default(100),
    })
    .strict();
  const messageParams = z.object({ messageId: z.uuid({ message: 'expected a message id (UUID)' }) });
  const shardQuery = z.object({ shard: shardNumber(shards).optional() }).strict();

  return [
    route({
      method: 'get',
      path: '/v1/admin/outbox',
      tag: 'ops',
      summary: 'outbox rows of every shard (newest first) with status, retries and last error',
      query: listQuery,
      responses: { 200: { description: 'rows', schema: outboxList } },
      handle: async ({ query }) => ({
        body: {
          items: await outbox.list({
            limit: query.limit,
            ...(query.status ? { status: query.status } : {}),
            ...(query.shard !== undefined ? { shard: query.shard } : {}),
            ...(query.orderId ? { orderId: BigInt(query.orderId) } : {}),
          }),
        },
      }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/outbox/retry-failed',
      tag: 'ops',
      summary: 'put every failed message (of one shard or all) back to pending',
      query: shardQuery,
      responses: { 200: { description: 'how many per shard', schema: outboxRetried } },
      handle: async ({ query }) => ({ body: { shards: await outbox.retryFailed(query.shard) } }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/outbox/:messageId/retry',
      tag: 'ops',
      summary: 'put a failed (or pending) message back to pending with a fresh retry budget',
      params: messageParams,
      responses: { 200: { description: 'the message, now pending', schema: outboxMessage } },
      errors: ['OUTBOX_MESSAGE_NOT_FOUND', 'OUTBOX_MESSAGE_SENT'],
      handle: async ({ params }) => ({ body: await outbox.retry(params.messageId) }),
    }),
  ];
}
