/** Operator routes over the CDC indexers: status per shard, backfills started and followed. */
import { route, type RouteSpec } from '../route';
import { backfillProgress, backfillStarted, cdcStatus } from '../responses';
import type { CdcService } from '../services/cdc-service';
import { shardNumber } from '../validation';
import { z } from '../zod';

export function cdcRoutes(cdc: CdcService, shards: number): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/admin/cdc',
      tag: 'ops',
      summary: "each shard's CDC checkpoint, when it was saved, the binlog's end now, and its dead letters",
      responses: { 200: { description: 'per shard', schema: cdcStatus } },
      handle: async () => ({ body: { shards: await cdc.status() } }),
    }),
    route({
      method: 'post',
      path: '/v1/admin/cdc/backfill',
      tag: 'ops',
      summary:
        're-index a shard from a snapshot of its tables, then hand the tail the binlog position taken before it; ' +
        'joins the running backfill of that shard if there is one',
      body: z
        .object({
          shard: z
            .number()
            .int()
            .min(0)
            .max(shards - 1),
        })
        .strict(),
      responses: {
        202: { description: 'started', schema: backfillStarted },
        200: { description: 'one was running: its progress', schema: backfillStarted },
      },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async ({ body }) => {
        const started = await cdc.startBackfill(body.shard);
        return { status: started.started ? 202 : 200, body: started };
      },
    }),
    route({
      method: 'get',
      path: '/v1/admin/cdc/backfill/:shard',
      tag: 'ops',
      summary: 'the latest backfill of a shard: progress while it runs, the result once done',
      params: z.object({ shard: shardNumber(shards) }),
      responses: { 200: { description: 'progress', schema: backfillProgress } },
      errors: ['CDC_BACKFILL_NOT_FOUND', 'SERVICE_UNAVAILABLE'],
      handle: async ({ params }) => ({ body: await cdc.backfill(params.shard) }),
    }),
  ];
}
