import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { OutboxStatus } from '../../lib/outbox/outbox-table';
import { withStack } from '../support/stack';
import { newBuyer, orderBody, seedSku } from '../support/orders';
import { launchBrowser, logIn, newVisitor, screenshot, seriousViolations } from '../support/browser';

describe('the ops console in a real browser: a failed outbox row retried, a backfill followed (real stack)', function () {
  this.timeout(240_000);
  // Databases and an index of its own: the backfill reads only this suite's orders, the outbox only its rows.
  const h = withStack({ isolatedData: 'ops-console', cdcWorker: true });
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('an operator finds a failed outbox row, retries it (pending again, its retries reset), then backfills shard 0 and watches it to 100 %', async () => {
    const messageId = randomUUID();
    await h.resources.shards[0]!.localMessage.create({
      data: {
        messageId,
        txId: 4242n,
        topic: h.config.kafka.topics.orderEvents,
        eventType: 'order.created',
        payload: {},
        status: OutboxStatus.FAILED,
        retryCount: 6,
        errorMsg: 'broker down for an hour',
      },
    });
    // Orders for the backfill to read.
    const sku = await seedSku(h, '2.00', 50, 'Ops console tea');
    const buyer = await newBuyer(h, 0);
    for (let i = 0; i < 3; i++) {
      assert.equal((await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: i + 1 }]))).status, 201);
    }

    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(page, h.ops.session.username, h.ops.session.password);
    await page.getByRole('link', { name: 'Ops console' }).click();
    await page.getByRole('heading', { name: 'Ops console' }).waitFor();

    // Every tab: shown, screenshot, no serious accessibility violation.
    for (const tab of ['Health', 'Sagas', 'Outbox', 'CDC', 'Reconciler', 'Alerts', 'Audit log']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'ops', `tab-${tab.toLowerCase().replace(/ /g, '-')}`);
      assert.deepEqual(await seriousViolations(page), [], `ops console, ${tab}: no serious accessibility violation`);
    }
    await page.getByRole('tab', { name: 'Health' }).click();
    await page.getByRole('cell', { name: 'mariadb-shard0' }).waitFor();

    await page.getByRole('tab', { name: 'Outbox' }).click();
    const row = page.locator('tr', { hasText: messageId });
    await row.getByText('broker down for an hour').waitFor();
    await row.getByRole('button', { name: `Retry message ${messageId}` }).click();
    await page.getByText('The row is pending again').waitFor();
    await row.waitFor({ state: 'detached' }); // no longer among the failed rows
    const retried = await h.resources.shards[0]!.localMessage.findUniqueOrThrow({ where: { messageId } });
    assert.deepEqual([retried.status, retried.retryCount], [OutboxStatus.PENDING, 0]);
    await page.getByLabel('Outbox status').click();
    await page.getByTitle('PENDING').click();
    await page.locator('tr', { hasText: messageId }).getByTestId('outbox-status').getByText('PENDING').waitFor();
    await screenshot(page, 'ops', '01-outbox-retried');

    await page.getByRole('tab', { name: 'CDC' }).click();
    const shard0 = page.getByTestId('cdc-shard-0');
    // The card may show an earlier backfill of this shard (its last run stays in Temporal): wait for the one started now.
    const clicked = Date.now() - 2000;
    await shard0.getByRole('button', { name: 'Backfill' }).click();
    const backfill = shard0.getByTestId('backfill');
    await page.waitForFunction(
      (since) => {
        const el = (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
          }
        ).document.querySelector('[data-testid="cdc-shard-0"] [data-testid="backfill"]');
        const started = Date.parse(el?.getAttribute('data-started-at') ?? '');
        return el?.getAttribute('data-phase') === 'done' && started >= since;
      },
      clicked,
      { timeout: 120_000 },
    );
    assert.equal(await shard0.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    assert.match((await backfill.textContent()) ?? '', /done: (\d+) of \1 orders read/);
    await screenshot(page, 'ops', '02-backfill-done');
    assert.deepEqual(
      await seriousViolations(page),
      [],
      'ops console after a backfill: no serious accessibility violation',
    );
  });

  it('a buyer is sent away from the ops console', async () => {
    const buyer = await newBuyer(h);
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(page, buyer.session.username, buyer.session.password);
    assert.equal(await page.getByRole('link', { name: 'Ops console' }).count(), 0);
    await page.goto('/ops');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
  });
});
