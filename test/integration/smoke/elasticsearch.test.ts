import assert from 'node:assert/strict';
import { testConfig, uniqueName } from '../../support/config';
import { createSearchClient } from '../../../lib/search/client';

describe('smoke: Elasticsearch', () => {
  const config = testConfig();

  it('bulk-indexed orders are found by a filtered search and counted by terms, sum and date_histogram aggregations', async () => {
    const es = createSearchClient(config);
    const index = uniqueName('doos-smoke');
    try {
      await es.indices.create({
        index,
        settings: { number_of_replicas: 0 },
        mappings: {
          properties: {
            orderNo: { type: 'keyword' },
            status: { type: 'keyword' },
            actualAmount: { type: 'double' },
            createdAt: { type: 'date' },
          },
        },
      });
      const docs = [
        { orderNo: 'A1', status: 'PAID', actualAmount: 10.5, createdAt: '2026-11-25T08:00:00Z' },
        { orderNo: 'A2', status: 'PAID', actualAmount: 4.5, createdAt: '2026-11-25T09:00:00Z' },
        { orderNo: 'A3', status: 'CANCELLED', actualAmount: 99, createdAt: '2026-11-25T09:30:00Z' },
      ];
      const bulk = await es.bulk({
        refresh: true,
        operations: docs.flatMap((d) => [{ index: { _index: index, _id: d.orderNo } }, d]),
      });
      assert.equal(bulk.errors, false);

      const found = await es.search<(typeof docs)[number]>({
        index,
        query: { bool: { filter: [{ term: { status: 'PAID' } }, { range: { actualAmount: { gte: 5 } } }] } },
      });
      assert.deepEqual(
        found.hits.hits.map((h) => h._source?.orderNo),
        ['A1'],
      );

      const stats = await es.search({
        index,
        size: 0,
        aggs: {
          byStatus: { terms: { field: 'status' } },
          sales: { sum: { field: 'actualAmount' } },
          perHour: { date_histogram: { field: 'createdAt', calendar_interval: 'hour' } },
        },
      });
      const aggs = stats.aggregations as {
        byStatus: { buckets: { key: string; doc_count: number }[] };
        sales: { value: number };
        perHour: { buckets: { key_as_string: string; doc_count: number }[] };
      };
      assert.deepEqual(
        aggs.byStatus.buckets.map((b) => [b.key, b.doc_count]),
        [
          ['PAID', 2],
          ['CANCELLED', 1],
        ],
      );
      assert.equal(aggs.sales.value, 114);
      assert.deepEqual(
        aggs.perHour.buckets.map((b) => b.doc_count),
        [1, 2],
      );
    } finally {
      await es.indices.delete({ index }, { ignore: [404] });
      await es.close();
    }
  });
});
