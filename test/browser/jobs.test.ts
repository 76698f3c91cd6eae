// 排程工作 in a real browser (issue 14, OPS-2, OPS-5): the central authority reaches the jobs page
// from the administration home and a job's runs from it; both axe-clean in Traditional Chinese and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { JOBS } from '../../src/governance/jobs/table.ts';
import { launchBrowser, newContext, checkA11y, heading, login, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  await runDueJobs(t.deps, JOBS, 'instance-a');
});
after(async () => { await browser?.close(); await t?.close(); });

test('issue 14 OPS-5: the jobs page and a job\'s runs, reached from the administration home, are axe-clean in zh-TW and en', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(t.url + '/admin');
  await clickAndWait(page, page.getByRole('link', { name: '排程工作' }));
  assert.equal(where(page), '/admin/jobs');
  assert.equal(await heading(page), '排程工作');
  await checkA11y(page, 'scheduled jobs (zh)');
  await clickAndWait(page, page.getByRole('link', { name: '執行已核准且生效日已到的申請' }));
  assert.equal(where(page), '/admin/jobs/requests.due');
  assert.match(await page.locator('main table').innerText(), /完成/);
  await checkA11y(page, 'a job\'s runs (zh)');
  await page.goto(t.url + '/lang/en?next=%2Fadmin%2Fjobs');
  assert.equal(await heading(page), 'Scheduled jobs');
  await checkA11y(page, 'scheduled jobs (en)');
  await ctx.close();
});
