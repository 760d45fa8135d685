/** Operator routes over the CDC indexers: status per shard, backfills started and followed. */
import { Router } from 'express';
import { z } from 'zod';
import type { CdcService } from '../services/cdc-service';
import { parseOrThrow } from '../validation';

const shardNumber = z.coerce.number().int().min(0).max(1023);

export function cdcRoutes(cdc: CdcService): Router {
  const router = Router();

  router.get('/v1/admin/cdc', async (_req, res) => {
    res.json({ shards: await cdc.status() });
  });

  router.post('/v1/admin/cdc/backfill', async (req, res) => {
    const { shard } = parseOrThrow(z.object({ shard: z.number().int().min(0).max(1023) }).strict(), req.body, 'body');
    const started = await cdc.startBackfill(shard);
    res.status(started.started ? 202 : 200).json(started);
  });

  router.get('/v1/admin/cdc/backfill/:shard', async (req, res) => {
    const { shard } = parseOrThrow(z.object({ shard: shardNumber }), req.params, 'path');
    res.json(await cdc.backfill(shard));
  });

  return router;
}
