import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { withStack } from '../support/stack';
import { newBuyer, orderBody, payOrder, seedSku } from '../support/orders';
import { launchBrowser, logIn, newVisitor, screenshot, seriousViolations } from '../support/browser';

describe('the staff pages in a real browser: order search, CSV export, an order and shipping it (real stack, CDC)', function () {
  this.timeout(180_000);
  const h = withStack();
  let browser: Browser;

  before(async () => {
    await h.workers.start('workers/cdc-worker.ts', { DOOS_METRICS_CDC_WORKER_PORT: '19651' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('an admin watching the dashboard sees a new order arrive on its live stream and turn paid; finds it by its number, exports the search as CSV, opens it and ships it', async () => {
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(page, h.admin.session.username, h.admin.session.password);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: /^Dashboard — \d{4}-\d{2}-\d{2} \(UTC\)$/ }).waitFor();
    await page.getByTestId('live-state').getByText('live').waitFor();

    const sku = await seedSku(h, '6.10', 3, `Staff tea ${Date.now()}`);
    const buyer = await newBuyer(h);
    const placed = await buyer.call('POST', '/v1/orders', orderBody([{ ...sku, quantity: 1 }]));
    assert.equal(placed.status, 201);
    const { orderId, orderNo } = placed.body as { orderId: string; orderNo: string };
    const placedAt = Date.now();
    const liveRow = page.getByTestId('live-orders').locator('tr', { has: page.getByRole('link', { name: orderNo }) });
    await liveRow.waitFor({ timeout: 30_000 });
    console.log(`      on the dashboard's live stream ${Date.now() - placedAt} ms after it was placed`);
    await payOrder(buyer, orderId);
    await liveRow.locator('[data-status="PAID"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'admin', '00-dashboard-live');
    assert.deepEqual(await seriousViolations(page), [], 'dashboard: no serious accessibility violation');

    await page.getByRole('link', { name: 'Orders (staff)' }).click();
    await page.getByRole('heading', { name: 'All orders' }).waitFor();
    await page.getByLabel('Order number').fill(orderNo);
    const started = Date.now();
    const found = page.getByRole('link', { name: orderNo });
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    const onlyIt = async () => (await rows.count()) === 1 && (await found.isVisible());
    do {
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForTimeout(300);
    } while (!(await onlyIt()) && Date.now() - started < 30_000);
    assert.ok(await onlyIt(), `order ${orderNo} found by its number, alone`);
    console.log(`      found by its number ${Date.now() - started} ms after the admin searched`);
    await screenshot(page, 'admin', '01-search');
    assert.deepEqual(await seriousViolations(page), [], 'order search: no serious accessibility violation');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    assert.match(csv, /^orderNo,orderId,userId,status,actualAmount,createdAt,items\r\n/);
    assert.ok(csv.includes(`${orderNo},${orderId},${buyer.session.userId},PAID,6.10,`), csv);

    await found.click();
    await page.locator('[data-status="PAID"]').waitFor();
    await page.getByRole('heading', { name: 'Saga steps' }).waitFor();
    // Its outbox events, and links to its workflow and its trace.
    await page.getByTestId('order-events').getByRole('cell', { name: 'order.created' }).waitFor();
    const webUi = await page.getByRole('link', { name: 'Workflow in the Temporal Web UI' }).getAttribute('href');
    assert.ok(webUi?.includes(encodeURIComponent(`order:${orderId}`)), `Web UI link ${webUi}`);
    const trace = await page.getByRole('link', { name: 'Trace in Zipkin' }).getAttribute('href');
    assert.match(trace ?? '', /\/zipkin\/\?annotationQuery=doos\.correlation_id%3D/);
    await page.getByRole('button', { name: 'Ship' }).click();
    await page.locator('[data-status="SHIPPED"]').waitFor();
    await screenshot(page, 'admin', '02-shipped');
    assert.deepEqual(await seriousViolations(page), [], 'staff order page: no serious accessibility violation');
    assert.equal((await buyer.call('GET', `/v1/orders/${orderId}`)).body.status, 'SHIPPED');
  });

  it('a buyer is sent away from the staff pages', async () => {
    const buyer = await newBuyer(h);
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(page, buyer.session.username, buyer.session.password);
    assert.equal(await page.getByRole('link', { name: 'Orders (staff)' }).count(), 0);
    await page.goto('/admin/orders');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
  });
});
