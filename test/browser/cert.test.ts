// Citizen certificate in Chromium (AUTH-8): a stand-in for HiPKI's local signing service on
// localhost:61161 (its popup page answers by postMessage; its /sign signs the tbs with a software
// key as PKCS#7, as the real service signs with the card). The user registers the card on
// 自然人憑證 while signed in by password, signs out, and signs in with the card from the login
// page's link; a wrong PIN is told by the service and nothing signs in. Pages are axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { makeHierarchy, makeCitizen, makeCrl, signPkcs7, b64, type Issued } from '../helpers/pki.ts';
import { addTrust } from '../../src/auth/cert/trust.ts';
import { loadCrl } from '../../src/auth/cert/crl-refresh.ts';
import { listTrust } from '../../src/auth/cert/store.ts';
import { launchBrowser, newContext, checkA11y, login, where, clickAndWait } from './helpers.ts';

const PIN = '246810';
const POPUP = `<!doctype html><html lang="en"><title>HiPKI stand-in</title><script>
window.addEventListener('message', async (e) => {
  const pkg = JSON.parse(e.data);
  const r = await fetch('/sign', { method: 'POST', body: JSON.stringify(pkg) });
  window.opener.postMessage(JSON.stringify(await r.json()), e.origin);
  window.close();
});
window.opener.postMessage(JSON.stringify({ func: 'getTbs' }), '*');
</script></html>`;

let t: TestApp;
let browser: Browser;
let hipki: http.Server;
let card: Issued;
let signed = 0;

before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const h = await makeHierarchy();
  await addTrust(t.deps, null, { certificate: h.root.pem }, null);
  await addTrust(t.deps, null, { certificate: h.g3.pem }, null);
  const g3 = (await listTrust(t.deps.db)).find((r) => r.kind === 'intermediate')!;
  await loadCrl(t.deps, g3, await makeCrl(h.g3, []), 'http://crl.example/g3.crl');
  await t.deps.db.insertInto('policies').values({ oid: '2.16.886.101', settings: JSON.stringify({ 'login.certificate': true }), updated_at: t.clock.now() }).execute();
  const nid = 'B12345678'.slice(0, 9);
  const id = nid + checkDigitFor(nid);
  await createAccount(t.deps, { username: 'cardholder', password: 'Correct-Horse-9', name: '林建國', profile: { nationalId: id } });
  card = await makeCitizen(h.g3, { name: '林建國', last4: id.slice(-4) });
  hipki = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => void (async () => {
      if (req.url?.startsWith('/popupForm')) { res.writeHead(200, { 'content-type': 'text/html' }); return res.end(POPUP); }
      if (req.method === 'POST' && req.url === '/sign') {
        const pkg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        if (pkg.pin !== PIN) return res.end(JSON.stringify({ ret_code: 0x76000006, message: 'PIN 碼錯誤（卡片剩餘嘗試次數由卡片控管）' }));
        signed++;
        return res.end(JSON.stringify({ ret_code: 0, signature: await signPkcs7(card, pkg.tbs), certb64: b64(card.der), cardSN: 'TEST0001' }));
      }
      res.writeHead(404); res.end();
    })());
  });
  await new Promise<void>((r) => hipki.listen(61161, r));
});
after(async () => { hipki?.close(); await browser?.close(); await t?.close(); });

test('AUTH-8 ACC-6: register the card through the (stand-in) HiPKI service, sign out, sign in with the card; a wrong PIN signs nothing', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, t, 'cardholder', 'Correct-Horse-9');
  await page.goto(t.url + '/account/certificates');
  await checkA11y(page);
  await page.locator('#cert-pin').fill(PIN);
  await Promise.all([page.waitForURL(/done=registered/, { timeout: 30_000 }), page.locator('form[data-cert] button').click()]);
  assert.match(await page.locator('table').innerText(), /林建國/);
  await clickAndWait(page, page.locator('.session-actions form[action="/logout"] button'));

  await page.locator('[data-testid="cert-login-link"]').click();
  await page.waitForURL(/\/login\/certificate/);
  await checkA11y(page);
  assert.match(await page.locator('main, body').first().innerText(), /PIN/);
  await page.locator('#cert-pin').fill('000000');
  await page.locator('form[data-cert] button').click();
  await page.waitForFunction(() => (document.querySelector('[data-cert-status]')?.textContent ?? '').includes('PIN 碼錯誤'), undefined, { timeout: 30_000 });
  assert.equal(signed, 1, 'only the registration was signed');
  await page.locator('#cert-pin').fill(PIN);
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 }), page.locator('form[data-cert] button').click()]);
  assert.equal(where(page), '/');
  assert.notEqual(await page.locator('[data-testid="last-certificate-login"]').innerText(), '');
  const s = await t.deps.db.selectFrom('sessions').innerJoin('accounts', 'accounts.id', 'sessions.account_id').select('sessions.auth_method')
    .where('accounts.username', '=', 'cardholder').orderBy('sessions.created_at', 'desc').executeTakeFirstOrThrow();
  assert.equal(s.auth_method, 'certificate');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
