import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { withStack } from '../support/stack';
import { login, newAccount, TEST_PASSWORD } from '../support/accounts';
import { seedSku, stockOf, uniqueId, type SeededSku } from '../support/orders';
import { launchBrowser, logIn, newVisitor, screenshot, seriousViolations } from '../support/browser';

/** The page's localStorage, as code run in the page sees it (the tests' TypeScript has no DOM types). */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
  /** An input's <label>s. */
  labels?: { textContent: string | null }[] | null;
}

interface PageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The shop at its edges, in a real browser: an access token that stopped working, a checkout answered 503 while no
 * order worker runs, the largest cart an order takes, and the admin's catalog and stock.
 */
describe('the shop at its edges in a real browser: token refresh, 503 at checkout, the largest cart, the catalog (real stack)', function () {
  this.timeout(240_000);
  // The API answers 503 after 2 s without an order worker (instead of the configured 20 s).
  const h = withStack({ sagaAnswerTimeoutSeconds: 2 });
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  async function signedInBuyer(width = 1280): Promise<{ page: Page; username: string }> {
    const buyer = await newAccount(h.baseUrl, h.resources.sql.accounts);
    const page = await (await newVisitor(browser, h.baseUrl, width)).newPage();
    await logIn(page, buyer.session.username, buyer.session.password);
    return { page, username: buyer.session.username };
  }

  const storedSession = (page: Page) =>
    page.evaluate(
      () =>
        (
          JSON.parse(
            (globalThis as unknown as { localStorage: PageStorage }).localStorage.getItem('doos-session') ?? '{}',
          ) as {
            state: { session: { accessToken: string; refreshToken: string } };
          }
        ).state.session,
    );

  async function fillAddressAndPlace(page: Page): Promise<void> {
    await page.getByLabel('Name', { exact: true }).fill('Li Lei');
    await page.getByLabel('Phone', { exact: true }).fill('13800000000');
    await page.getByLabel('Address', { exact: true }).fill('1 West Lake Road');
    await page.getByRole('button', { name: 'Place order' }).click();
  }

  /** Presses Tab until the focused element is the one `name` names (its accessible label or text); fails after 80. */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: PageElement | null } }).document
          .activeElement;
        if (!el) return '';
        const label = el.labels?.[0]?.textContent ?? '';
        return [el.getAttribute('aria-label') ?? '', label, el.textContent ?? ''].join('|');
      });
      if (focused.split('|').some((part) => part.trim() === name)) return;
    }
    assert.fail(`${name} cannot be reached with Tab`);
  }

  it('a buyer logs in, finds a product, adds it and opens the cart with the keyboard alone', async () => {
    const name = `Keyboard tea ${Date.now()}`;
    await seedSku(h, '2.50', 5, name);
    const buyer = await newAccount(h.baseUrl, h.resources.sql.accounts);
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await page.goto('/login');
    await page.locator('form#login').waitFor();
    await tabTo(page, 'Username');
    await page.keyboard.type(buyer.session.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(buyer.session.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    await tabTo(page, 'Search the catalog');
    await page.keyboard.type(name);
    await page.getByRole('button', { name: `Add to cart: ${name}` }).waitFor();
    await tabTo(page, `Add to cart: ${name}`);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Cart (1)' }).waitFor();
    await tabTo(page, 'Cart (1)');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cart' }).waitFor();
    await page.locator('tr.ant-table-row', { hasText: name }).waitFor();
    await screenshot(page, 'shop-edges', '00-keyboard-cart');
  });

  it('an access token that no longer works is refreshed silently: the page loads, the tokens are new', async () => {
    const { page } = await signedInBuyer();
    const before = await storedSession(page);
    // As after its 2 hours: the API refuses it (401) and the page must trade the refresh token for new ones.
    await page.evaluate(() => {
      const stored = JSON.parse(
        (globalThis as unknown as { localStorage: PageStorage }).localStorage.getItem('doos-session')!,
      ) as {
        state: { session: { accessToken: string } };
      };
      stored.state.session.accessToken = 'expired.access.token';
      (globalThis as unknown as { localStorage: PageStorage }).localStorage.setItem(
        'doos-session',
        JSON.stringify(stored),
      );
    });
    await page.goto('/orders');
    await page.getByRole('heading', { name: 'My orders' }).waitFor();
    await page.locator('.ant-table').waitFor();
    // The table shows before its rows come: the refresh is done once the page has stored the new tokens.
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as { localStorage: PageStorage }).localStorage
          .getItem('doos-session')
          ?.includes('"expired.access.token"'),
      undefined,
      { timeout: 15_000 },
    );
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('alert').count(), 0, 'no error shown');
    const after = await storedSession(page);
    assert.notEqual(after.accessToken, 'expired.access.token');
    assert.notEqual(after.refreshToken, before.refreshToken, 'the refresh token rotated');
    assert.equal(page.url().endsWith('/orders'), true, 'not sent to the login page');
  });

  it('a checkout answered 503 (no order worker) says the order is being confirmed, sends it again with the same key, and makes one order once the worker is back', async () => {
    const name = `Patient tea ${Date.now()}`;
    const sku = await seedSku(h, '5.00', 10, name);
    const { page, username } = await signedInBuyer();
    await page.getByPlaceholder('Search the catalog').fill(name);
    await page.getByRole('button', { name: `Add to cart: ${name}` }).click();
    await page.getByRole('link', { name: /^Cart/ }).click();

    await h.stopWorker();
    try {
      await fillAddressAndPlace(page);
      await page.getByRole('alert').filter({ hasText: 'still being confirmed' }).waitFor({ timeout: 30_000 });
      await page.getByText(/Sending it again with the same checkout \(\d of 5\)/).waitFor();
      await screenshot(page, 'shop-edges', '01-checkout-503');
    } finally {
      await h.startWorker();
    }
    await page.waitForURL(/\/orders\/\d+$/, { timeout: 60_000 });
    const buyer = await login(h.baseUrl, username, TEST_PASSWORD);
    const orders = (await buyer.call('GET', '/v1/orders')).body.items as { orderId: string }[];
    assert.deepEqual(
      orders.map((o) => o.orderId),
      [page.url().split('/').pop()],
      'one order, the one the page went to',
    );
    assert.deepEqual(await stockOf(h, sku), { available: 9, locked: 1, total: 10 });
  });

  it('the largest cart an order takes (50 SKUs × 999) is checked out as one order; a 51st SKU does not fit in the cart', async () => {
    const prefix = `Bulk tea ${Date.now()}`;
    const skus: (SeededSku & { name: string })[] = [];
    for (let i = 0; i < 51; i++) {
      const name = `${prefix} ${String(i).padStart(2, '0')}`;
      skus.push({ ...(await seedSku(h, '0.01', 999, name)), name });
    }
    const { page } = await signedInBuyer(390); // a phone's width
    // The cart as the store keeps it in this browser: 50 lines of 999.
    await page.evaluate(
      (lines) => {
        (globalThis as unknown as { localStorage: PageStorage }).localStorage.setItem(
          'doos-cart',
          JSON.stringify({ state: { lines, checkoutKey: crypto.randomUUID() }, version: 0 }),
        );
      },
      skus
        .slice(0, 50)
        .map((s) => ({ productId: s.productId, skuId: s.skuId, name: s.name, price: '0.01', quantity: 999 })),
    );
    await page.goto('/');
    await page.getByPlaceholder('Search the catalog').fill(skus[50]!.name);
    await page.getByRole('button', { name: `Add to cart: ${skus[50]!.name}` }).click();
    await page.getByText('The cart holds at most 50 different items').waitFor();

    await page.getByRole('link', { name: 'Cart (49950)' }).click();
    await page.getByText('¥499.50').waitFor();
    assert.equal(await page.locator('.ant-table-tbody tr.ant-table-row').count(), 50);
    await screenshot(page, 'shop-edges', '02-largest-cart');
    assert.deepEqual(await seriousViolations(page), [], 'the largest cart: no serious accessibility violation');
    await fillAddressAndPlace(page);
    await page.waitForURL(/\/orders\/\d+$/, { timeout: 60_000 });
    await page.locator('[data-status="PENDING_PAYMENT"]').waitFor();
    await page.getByTestId('pay-countdown').waitFor();
    await page.getByTestId('saga-timeline').waitFor();
    await screenshot(page, 'shop-edges', '03-largest-order');
    assert.deepEqual(await seriousViolations(page), [], 'the largest order: no serious accessibility violation');
    const orderId = page.url().split('/').pop()!;
    const staffView = (await h.admin.call('GET', `/v1/admin/orders/${orderId}`)).body as {
      items: { quantity: number }[];
      actualAmount: string;
    };
    assert.equal(staffView.items.length, 50);
    assert.ok(staffView.items.every((i) => i.quantity === 999));
    assert.equal(staffView.actualAmount, '499.50');
    assert.deepEqual(await stockOf(h, skus[0]!), { available: 0, locked: 999, total: 999 });
  });

  it('an admin adds a SKU to the catalog, finds it, sets its stock; the form refuses what the API would', async () => {
    const page = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(page, h.admin.session.username, h.admin.session.password);
    await page.getByRole('link', { name: 'Catalog & stock' }).click();
    await page.getByRole('heading', { name: 'Catalog and stock' }).waitFor();
    const productId = uniqueId();
    const skuId = uniqueId();
    const name = `Admin tea ${Date.now()}`;
    await page.getByRole('button', { name: 'Add a SKU' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Product id').fill(productId);
    await dialog.getByLabel('SKU id').fill(skuId);
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Price', { exact: true }).fill('12.505');
    await dialog.getByLabel('Stock', { exact: true }).fill('40');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('A price like 12.50').waitFor();
    await screenshot(page, 'admin-catalog', '01-refused-price');
    assert.deepEqual(await seriousViolations(page), [], 'the SKU form: no serious accessibility violation');
    await dialog.getByLabel('Price', { exact: true }).fill('12.50');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${name} saved`).waitFor();
    assert.deepEqual(await stockOf(h, { productId, skuId }), { available: 40, locked: 0, total: 40 });

    await page.getByLabel('Search the catalog').fill(name);
    await page.getByLabel('Search the catalog').press('Enter');
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    await page.getByRole('dialog').getByLabel('Stock', { exact: true }).fill('7');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.locator('tr', { hasText: name }).getByRole('cell', { name: '7', exact: true }).first().waitFor();
    assert.deepEqual(await stockOf(h, { productId, skuId }), { available: 7, locked: 0, total: 7 });
    await screenshot(page, 'admin-catalog', '02-stock-set');
    assert.deepEqual(await seriousViolations(page), [], 'the catalog: no serious accessibility violation');

    // Ops may not touch prices or stock: no link, and the page sends them away.
    const ops = await (await newVisitor(browser, h.baseUrl)).newPage();
    await logIn(ops, h.ops.session.username, h.ops.session.password);
    assert.equal(await ops.getByRole('link', { name: 'Catalog & stock' }).count(), 0);
    await ops.goto('/admin/catalog');
    await ops.getByRole('heading', { name: 'Catalog' }).waitFor();
  });
});
