// Shared helpers for the browser tests: Debian's Chromium driven by playwright-core, axe-core
// checks, and a login that reads the captcha answer the test server issued.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';
import type { TestApp } from '../helpers/app.ts';

const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium fonts-noto-cjk (or set TESSERA_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}

/**
 * A fresh context for one test. Pages keep their Content-Security-Policy (no bypassCSP), so a
 * script or style the policy blocks shows up as a failure here too. Any CSP violation reported
 * in the console is recorded in `cspViolations` for the test to assert on.
 */
export async function newContext(browser: Browser, opts: BrowserContextOptions = {}): Promise<BrowserContext & { cspViolations: string[] }> {
  const ctx = await browser.newContext({ locale: 'zh-TW', ...opts }) as BrowserContext & { cspViolations: string[] };
  ctx.cspViolations = [];
  ctx.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) ctx.cspViolations.push(msg.text());
  });
  return ctx;
}

function formatViolations(violations: Result[]): string {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `    - ${n.target.join(' ')}\n      ${n.html}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
  }).join('\n');
}

/**
 * Runs axe-core on the page and fails with a readable list when it finds any violation.
 * The recipe's `page.addScriptTag({ path })` inlines the script, which the page's CSP
 * (`script-src 'self'`) refuses (and reports as a CSP violation); so the same source is evaluated
 * through the DevTools protocol instead, which CSP does not govern, and the page's CSP stays on.
 */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
  if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
  // Violations only: axe skips building the passes and incomplete lists (its documented speed-up).
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run(o: object): Promise<AxeResults> } }).axe.run({ resultTypes: ['violations'] })) as AxeResults;
  if (results.violations.length > 0) {
    assert.fail(`axe found ${results.violations.length} accessibility violation(s) on ${label}:\n${formatViolations(results.violations)}`);
  }
}

/** Clicks `target` (a submit button or link) and waits until the resulting page has loaded. */
export async function clickAndWait(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
}

export async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1').innerText()).trim();
}

export async function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Pathname + search of the current page. */
export function where(page: Page): string {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/**
 * Fills and submits the login form. The captcha answer is read from the test server after the
 * page (and so its captcha) has loaded. Leaves the browser on whatever page the server answers.
 */
export async function login(page: Page, t: TestApp, username: string, password: string, opts: { goto?: boolean } = {}): Promise<void> {
  if (opts.goto !== false) await page.goto(t.url + '/login');
  assert.equal(new URL(page.url()).pathname, '/login', 'expected to be on the login page');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#captcha').fill(t.lastCaptcha());
  await clickAndWait(page, page.locator('main form[action="/login"] button[type=submit]'));
}

/** The text of the page's notices (role alert or status) inside main. */
/** A new page in a new context, signed in as `username` and on the portal. */
export async function signedInPage(browser: Browser, t: TestApp, username: string, password: string, locale = 'zh-TW'): Promise<Page> {
  const page = await (await newContext(browser, { locale })).newPage();
  await login(page, t, username, password);
  assert.equal(where(page), '/');
  return page;
}

export async function notices(page: Page): Promise<string[]> {
  return (await page.locator('main [role=alert], main [role=status]').allInnerTexts()).map((s) => s.trim());
}
