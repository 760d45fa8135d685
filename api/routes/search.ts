/** Cross-shard order search and the dashboard, both from Elasticsearch (seconds behind the shards, via CDC). */
import { toCents } from '../../lib/orders/money';
import { route, type RouteSpec } from '../route';
import { dashboard, orderSearchPage } from '../responses';
import type { SearchService } from '../services/search-service';
import { searchOrdersQuery } from '../validation';
import { z } from '../zod';

export function searchRoutes(search: SearchService): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/search/orders',
      tag: 'search',
      summary:
        'orders of every shard from the search index (seconds behind the shards), filtered, paged and sorted; ' +
        'no shipping addresses',
      description: 'from ≤ to and minAmount ≤ maxAmount; page × pageSize may not exceed 10000 (else 400 / 10001)',
      query: searchOrdersQuery,
      responses: { 200: { description: 'one page of orders', schema: orderSearchPage } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async ({ query }) => {
        const { minAmount, maxAmount, ...q } = query;
        return {
          body: await search.searchOrders({
            ...q,
            ...(minAmount !== undefined && { minCents: toCents(minAmount) }),
            ...(maxAmount !== undefined && { maxCents: toCents(maxAmount) }),
          }),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/stats/dashboard',
      tag: 'search',
      summary:
        "today's (UTC) orders, sales paid today, status distribution of today's orders, top 10 products by " +
        'quantity today (cancelled orders left out), and the latest 100 orders',
      query: z.object({}).strict(),
      responses: { 200: { description: 'the dashboard', schema: dashboard } },
      errors: ['SERVICE_UNAVAILABLE'],
      handle: async () => ({ body: await search.dashboard() }),
    }),
  ];
}
