/**
 * A real headless Chromium (Debian's, driven by playwright-core) for the front end's end-to-end tests: pages of the
 * API under test, a screenshot of each step under test-output/screenshots/, and an axe scan of each page.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');
export const SCREENSHOTS = path.join(root, 'test-output', 'screenshots');

function chromiumPath(): string {
  return execFileSync(path.join(root, 'deployments/native/stack.sh'), ['path', 'chromium'], {
    encoding: 'utf8',
  }).trim();
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile (its own localStorage: one person) on the app at `baseUrl`. */
export async function newVisitor(browser: Browser, baseUrl: string, width = 1280): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 } });
}

/** Saves a full-page screenshot as test-output/screenshots/<journey>/<step>.png. */
export async function screenshot(page: Page, journey: string, step: string): Promise<void> {
  const dir = path.join(SCREENSHOTS, journey);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${step}.png`), fullPage: true });
}

/** For a colour-contrast finding: the colours and ratio axe measured, to fix it without guessing. */
function contrastOf(node: { any: { data?: unknown }[] }): string {
  const data = node.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  return data?.fgColor ? ` [${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}]` : '';
}

/**
 * The serious and critical accessibility violations axe finds on the page once it has settled (WCAG 2 A/AA rules):
 * its data loaded (no spinner) and Ant Design's transitions (0.2 s) over — a scan right after a tab opened once
 * measured a button half-way from disabled grey to enabled (3.22 contrast), which no one ever reads.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined); // a spinner that never ends is scanned as it is
  await page.waitForTimeout(400);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')}${contrastOf(n)}`).join(', ')})`);
}

/** Logs in through the login page's form and waits for the catalog it leads to. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  const form = page.locator('form#login');
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Catalog' }).waitFor();
}
