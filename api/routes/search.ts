/** Cross-shard order search and the dashboard, both from Elasticsearch (seconds behind the shards, via CDC). */
import { Router } from 'express';
import { z } from 'zod';
import { toCents } from '../../lib/orders/money';
import type { SearchService } from '../services/search-service';
import { parseOrThrow, searchOrdersQuery } from '../validation';

export function searchRoutes(search: SearchService): Router {
  const router = Router();

  router.get('/v1/search/orders', async (req, res) => {
    const { minAmount, maxAmount, ...q } = parseOrThrow(searchOrdersQuery, req.query, 'query');
    res.json(
      await search.searchOrders({
        ...q,
        ...(minAmount !== undefined && { minCents: toCents(minAmount) }),
        ...(maxAmount !== undefined && { maxCents: toCents(maxAmount) }),
      }),
    );
  });

  router.get('/v1/stats/dashboard', async (req, res) => {
    parseOrThrow(z.object({}).strict(), req.query, 'query');
    res.json(await search.dashboard());
  });

  return router;
}
