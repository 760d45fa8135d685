import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { withStack } from '../support/stack';
import { login, TEST_PASSWORD, uniqueUsername } from '../support/accounts';
import { seedSku, stockOf } from '../support/orders';
import { launchBrowser, newVisitor, screenshot, seriousViolations } from '../support/browser';

describe('the shop in a real browser (headless Chromium, the API serving the built front end, real stack)', function () {
  this.timeout(180_000);
  const h = withStack();
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** Registers through the page and lands on the catalog, signed in; returns the username. */
  async function register(page: Page, journey: string): Promise<string> {
    const username = uniqueUsername('web');
    await page.goto('/login');
    await page.getByRole('tab', { name: 'Register' }).click();
    const form = page.locator('form#register');
    await form.getByLabel('Username', { exact: true }).fill(username);
    await form.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await screenshot(page, journey, '01-register');
    assert.deepEqual(await seriousViolations(page), [], 'login page: no serious accessibility violation');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    return username;
  }

  async function checkout(page: Page, doubleClick = false): Promise<void> {
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByLabel('Name', { exact: true }).fill('Li Lei');
    await page.getByLabel('Phone', { exact: true }).fill('13800000000');
    await page.getByLabel('Address', { exact: true }).fill('1 West Lake Road');
    const place = page.getByRole('button', { name: 'Place order' });
    if (doubleClick) await place.dblclick();
    else await place.click();
  }

  it('a buyer registers, adds to the cart, checks out with a double click (one order), pays and sees PAID', async () => {
    const name = `Web tea ${Date.now()}`;
    const sku = await seedSku(h, '8.80', 5, name);
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    const started = Date.now();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    console.log(`      shop's first page interactive after ${Date.now() - started} ms (loopback, cold cache)`);

    const username = await register(page, 'shop');
    await page.getByPlaceholder('Search the catalog').fill(name);
    await page.getByRole('button', { name: `Add to cart: ${name}` }).click();
    await screenshot(page, 'shop', '02-catalog');
    assert.deepEqual(await seriousViolations(page), [], 'catalog: no serious accessibility violation');

    await checkout(page, true);
    await page.waitForURL(/\/orders\/\d+$/);
    const orderId = page.url().split('/').pop()!;
    await page.locator('[data-status="PENDING_PAYMENT"]').waitFor();
    await screenshot(page, 'shop', '03-order');
    assert.deepEqual(await seriousViolations(page), [], 'order page: no serious accessibility violation');

    await page.getByRole('button', { name: 'Pay' }).click();
    await page.locator('[data-status="PAID"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'shop', '04-paid');

    const buyer = await login(h.baseUrl, username, TEST_PASSWORD);
    const orders = await buyer.call('GET', '/v1/orders');
    assert.deepEqual(
      orders.body.items.map((o: { orderId: string }) => o.orderId),
      [orderId],
      'the double click made one order',
    );
    assert.deepEqual(await stockOf(h, sku), { available: 4, locked: 1, total: 5 });

    await page.getByRole('link', { name: 'My orders' }).click();
    await page.getByRole('link', { name: orders.body.items[0].orderNo }).waitFor();
    await screenshot(page, 'shop', '05-my-orders');
    assert.deepEqual(await seriousViolations(page), [], 'my orders: no serious accessibility violation');

    // 简体中文, chosen once, stays chosen after a reload.
    await page.getByRole('combobox', { name: 'Language' }).click();
    await page.getByTitle('简体中文').click();
    await page.getByRole('heading', { name: '我的订单' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '我的订单' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await screenshot(page, 'shop', '06-my-orders-zh');

    // Another buyer opening that order's address sees nothing of it.
    const stranger = await (await newVisitor(browser, h.baseUrl, 390)).newPage();
    await register(stranger, 'stranger');
    await stranger.goto(`/orders/${orderId}`);
    await stranger.getByRole('alert').waitFor();
    assert.equal(await stranger.getByTestId('order-status').count(), 0);
    assert.ok(!(await stranger.content()).includes('West Lake'), 'no shipping address shown');
    await screenshot(stranger, 'stranger', '02-someone-elses-order');
  });

  it('an order for more than the stock names the SKU that ran out and reserves nothing', async () => {
    const name = `Last tea ${Date.now()}`;
    const sku = await seedSku(h, '3.00', 1, name);
    const page = await (await newVisitor(browser, h.baseUrl, 390)).newPage();
    await register(page, 'out-of-stock');
    await page.getByPlaceholder('Search the catalog').fill(name);
    await page.getByRole('button', { name: `Add to cart: ${name}` }).click();
    await page.getByRole('button', { name: `Add to cart: ${name}` }).click();
    await checkout(page);
    const alert = page.getByRole('alert').filter({ hasText: 'Out of stock' });
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(`Out of stock: ${name} \\(SKU ${sku.skuId}\\)`));
    await screenshot(page, 'out-of-stock', '02-refused');
    assert.deepEqual(await stockOf(h, sku), { available: 1, locked: 0, total: 1 });
  });
});
