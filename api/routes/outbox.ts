/** Operator routes over the outbox: list rows with their status, retries and error; retry one or every failed row. */
import { Router } from 'express';
import { z } from 'zod';
import { OUTBOX_STATUS_NAMES } from '../../lib/outbox/outbox-table';
import type { OutboxService } from '../services/outbox-service';
import { idString, parseOrThrow } from '../validation';

const listQuery = z.object({
  status: z.enum(OUTBOX_STATUS_NAMES).optional(),
  shard: z.coerce.number().int().min(0).optional(),
  orderId: idString.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const messageParams = z.object({ messageId: z.string().regex(/^[0-9a-f-]{36}$/i, 'expected a message id (UUID)') });
const shardQuery = z.object({ shard: z.coerce.number().int().min(0).optional() });

export function outboxRoutes(outbox: OutboxService): Router {
  const router = Router();

  router.get('/v1/admin/outbox', async (req, res) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    const items = await outbox.list({
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(q.shard !== undefined ? { shard: q.shard } : {}),
      ...(q.orderId ? { orderId: BigInt(q.orderId) } : {}),
    });
    res.json({ items });
  });

  router.post('/v1/admin/outbox/retry-failed', async (req, res) => {
    const { shard } = parseOrThrow(shardQuery, req.query, 'query');
    res.json({ shards: await outbox.retryFailed(shard) });
  });

  router.post('/v1/admin/outbox/:messageId/retry', async (req, res) => {
    const { messageId } = parseOrThrow(messageParams, req.params, 'path');
    res.json(await outbox.retry(messageId));
  });

  return router;
}
