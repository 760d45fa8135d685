import assert from 'node:assert/strict';
import { FIGURES } from '../../lib/metrics/figures';
import { withStack } from '../support/stack';
import { newBuyer, type Json } from '../support/orders';

/** What the real Prometheus answers to a query now (null: no samples). */
async function prometheusValue(url: string, query: string): Promise<number | null> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  const raw = body.data.result[0]?.value[1];
  return raw === undefined || Number.isNaN(Number(raw)) ? null : Number(raw);
}

describe("the ops console's figures, GET /v1/admin/figures (real Prometheus)", function () {
  this.timeout(60_000);
  const h = withStack({ worker: false });

  it("are Prometheus' own answers to each figure's query, for ops and admin alike; buyers may not read them", async () => {
    const res = await h.ops.call('GET', '/v1/admin/figures');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.prometheusUrl, h.config.metrics.prometheusUrl);
    assert.deepEqual(
      res.body.figures.map((f: Json) => [f.name, f.unit, f.query]),
      FIGURES.map((f) => [f.name, f.unit, f.query]),
    );
    // Prometheus' `up` series always exist while it scrapes: a query with samples comes back as a number.
    assert.equal(typeof (await prometheusValue(h.config.metrics.prometheusUrl, 'count(up)')), 'number');
    for (const f of res.body.figures as Json[]) {
      const direct = await prometheusValue(h.config.metrics.prometheusUrl, f.query as string);
      assert.ok(f.value === null || typeof f.value === 'number', `${f.name}: ${f.value}`);
      // Both read the same window a moment apart: equal, or both present (a rate moves between two reads).
      assert.equal(f.value === null, direct === null, `${f.name}: API ${f.value}, Prometheus ${direct}`);
    }
    assert.equal((await h.admin.call('GET', '/v1/admin/figures')).status, 200);
    const buyer = await newBuyer(h);
    assert.equal((await buyer.call('GET', '/v1/admin/figures')).status, 403);
  });
});

describe('the figures when Prometheus cannot be reached', function () {
  this.timeout(60_000);
  const h = withStack({
    worker: false,
    configure: (c) => ({ ...c, metrics: { ...c.metrics, prometheusUrl: 'http://127.0.0.1:1' } }),
  });

  it('are 503 / 10004, saying Prometheus cannot be asked', async () => {
    const res = await h.ops.call('GET', '/v1/admin/figures');
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 10004);
    assert.match(res.body.message, /Prometheus cannot be asked/);
  });
});
