import assert from 'node:assert/strict';
import { withStack } from '../support/stack';
import { call, seedSku, type Json } from '../support/orders';

describe('the catalog, GET /v1/products: searched and paged by the API (real inventory DB)', function () {
  this.timeout(60_000);
  const h = withStack({ worker: false });
  const tag = `Paged${Date.now().toString(36)}`;
  const seeded: string[] = [];

  before(async () => {
    for (const n of ['one', 'two', 'three']) seeded.push((await seedSku(h, '1.00', 5, `${tag} tea ${n}`)).productId);
  });

  const products = async (query: string): Promise<Json> => {
    const res = await call(h, 'GET', `/v1/products?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const ids = (page: Json): string[] => page.items.map((p: Json) => p.productId);

  it('finds products by a part of their name in any case, newest first, a page at a time', async () => {
    const all = await products(`q=${tag.toLowerCase()}`);
    assert.equal(all.total, 3);
    assert.deepEqual(ids(all), [...seeded].reverse(), 'newest first');
    const first = await products(`q=${tag}&pageSize=2`);
    const second = await products(`q=${tag}&pageSize=2&page=2`);
    assert.deepEqual([first.total, first.page, first.pageSize], [3, 1, 2]);
    assert.deepEqual([...ids(first), ...ids(second)], [...seeded].reverse());
    assert.equal(first.items[0].skus[0].available, 5, 'with its stock');
  });

  it('takes the query literally (no wildcards) and pages past the end as empty', async () => {
    assert.equal((await products(`q=${tag}%25`)).total, 0, 'a % is a %');
    assert.equal((await products(`q=${tag.slice(0, 3)}_${tag.slice(4)}`)).total, 0, 'an _ is an _');
    const past = await products(`q=${tag}&page=5&pageSize=2`);
    assert.deepEqual([past.items, past.total], [[], 3]);
  });

  it('without a query: the newest products of the whole catalog, 24 to a page', async () => {
    const page = await products('');
    assert.equal(page.pageSize, 24);
    assert.ok(page.items.length <= 24 && page.total >= 3);
    assert.equal(ids(page)[0], seeded[2], 'the newest product first');
  });

  it('refuses a page size over 100, a page under 1 and a query over 100 characters (400 / 10001), naming the parameter', async () => {
    for (const [query, field] of [
      ['pageSize=101', 'pageSize'],
      ['page=0', 'page'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['sort=name', ''],
    ] as const) {
      const res = await call(h, 'GET', `/v1/products?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.code, 10001, query);
      if (field)
        assert.ok(
          res.body.details.some((d: Json) => d.path === field),
          JSON.stringify(res.body.details),
        );
    }
  });
});
