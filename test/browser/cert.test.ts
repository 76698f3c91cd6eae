// Citizen certificate in Chromium (AUTH-8): a stand-in for HiPKI's local signing service on
// localhost:61161 (its popup page answers by postMessage; its /sign signs the tbs with a software
// key as PKCS#7, as the real service signs with the card). The user registers the card on
// 自然人憑證 while signed in by password, signs out, and signs in with the card from the login
// page's link; a wrong PIN is told by the service and nothing signs in. Seed 003 end to end: an
// administrator adds a user, who activates with the initial password, registers the card (憑證註冊),
// signs out and back in with the card (憑證登入), and enters a certificate-required system from a
// portal tile; a password session steps up to the card on the way to that system (SSO-2). Pages
// are axe-clean in zh-TW and en.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { giveRoles } from '../helpers/factories.ts';
import { startTestRp, type TestRp } from '../helpers/oidc-rp.ts';
import { ACR } from '../../src/sso/auth-context.ts';
import { createAccount } from '../helpers/accounts.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { makeHierarchy, makeCitizen, makeCrl, signPkcs7, b64, type Issued } from '../helpers/pki.ts';
import { addTrust } from '../../src/auth/cert/trust.ts';
import { loadCrl } from '../../src/auth/cert/crl-refresh.ts';
import { listTrust } from '../../src/auth/cert/store.ts';
import { launchBrowser, newContext, checkA11y, login, where, clickAndWait, heading, notices } from './helpers.ts';

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
let h: Awaited<ReturnType<typeof makeHierarchy>>;
let pcsc: TestRp;
const SEED_UNIT = '2.16.886.101.90027.20002.20011.20033';

before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  h = await makeHierarchy();
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
  pcsc = await startTestRp(t, { systemCode: 'pcsc', certificateRequired: true });
});
after(async () => { hipki?.close(); await pcsc?.close(); await browser?.close(); await t?.close(); });

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

/** Signs with the card through the page's form (PIN, then the stand-in service), waiting for `url`. */
async function signWithCard(page: import('playwright-core').Page, url: RegExp | ((u: URL) => boolean)) {
  await page.locator('#cert-pin').fill(PIN);
  await Promise.all([page.waitForURL(url, { timeout: 30_000, waitUntil: 'load' }), page.locator('form[data-cert] button').click()]);
}

test('AUTH-8 AUTH-9 ACC-6 SSO-2 seed 003: 公務員新增作業 → initial-password activation → 憑證註冊 → sign-out → 憑證登入 → portal tile → certificate-required system', async () => {
  await t.deps.db.insertInto('policies').values({ oid: SEED_UNIT, settings: JSON.stringify({ 'login.certificate': true, 'login.certificateRequired': true }), updated_at: t.clock.now() }).execute();
  const adminId = await createAccount(t.deps, { username: 'raseed003', password: 'Correct-Horse-9', unitOid: '2.16.886.101', name: '註冊管理者' });
  await createGrant(t.deps, null, { accountId: adminId, kind: 'registration_admin', jurisdictionOid: '2.16.886.101.90027.20002', categories: ['pcsc'] }, null);
  const first9 = 'G22345678';
  const nationalId = first9 + checkDigitFor(first9);
  card = await makeCitizen(h.g3, { name: '王美華', last4: nationalId.slice(-4) });

  // 1. The registration administrator adds the user (公務員新增作業).
  const adminCtx = await newContext(browser);
  const admin = await adminCtx.newPage();
  await login(admin, t, 'raseed003', 'Correct-Horse-9');
  await clickAndWait(admin, admin.getByRole('navigation').getByRole('link', { name: '註冊服務' }));
  await clickAndWait(admin, admin.getByRole('link', { name: '公務員新增作業' }));
  await admin.getByLabel('單位名稱、機關代碼、校代碼或 OID').fill('第一組');
  await clickAndWait(admin, admin.getByRole('button', { name: '查詢' }));
  await clickAndWait(admin, admin.getByRole('link', { name: '選擇 登記股第一組（範例）' }));
  await admin.locator('#name').fill('王美華');
  await admin.locator('#nationalId').fill(nationalId);
  await admin.locator('#username').fill('wangmh003');
  await admin.locator('#birthMonth').fill('7');
  await admin.locator('#birthDay').fill('25');
  await admin.locator('#email').fill('wangmh@taichung.gov.tw');
  await clickAndWait(admin, admin.getByRole('button', { name: '儲存' }));
  assert.match(where(admin), /^\/admin\/accounts\/\d+\?done=created-birthday$/);
  const userId = Number(/accounts\/(\d+)/.exec(where(admin))![1]);
  await giveRoles(t.deps, userId, 'pcsc_user');

  // 2. First sign-in with the initial password (MmDd + birthday + last 4), forced change (開帳).
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const initial = `MmDd0725${nationalId.slice(-4)}`;
  await login(page, t, 'wangmh003', initial);
  assert.equal(where(page), '/password/change');
  await page.locator('#current').fill(initial);
  await page.locator('#next').fill('Quiet-Harbour-Maple-58');
  await page.locator('#confirm').fill('Quiet-Harbour-Maple-58');
  await clickAndWait(page, page.locator('main form button[type=submit]'));
  assert.equal(where(page), '/?changed=first');
  // AUTH-9: the home page says by when the card must be registered, and leads there.
  assert.match(await page.getByTestId('certificate-due').innerText(), /須以自然人憑證登入：請於 .+ 前完成自然人憑證註冊/);
  await checkA11y(page, 'home: register the card');

  // 3. 憑證註冊 through the HiPKI stand-in.
  await clickAndWait(page, page.getByTestId('certificate-due').getByRole('link', { name: '註冊憑證' }));
  assert.equal(where(page), '/account/certificates');
  await signWithCard(page, /done=registered/);
  assert.match(await page.locator('table').innerText(), /王美華/);
  await checkA11y(page, 'certificates after registration');
  await clickAndWait(page, page.locator('.session-actions form[action="/logout"] button'));

  // 4. The password no longer signs in (AUTH-9); 憑證登入 from the login page does.
  await login(page, t, 'wangmh003', 'Quiet-Harbour-Maple-58');
  assert.match((await notices(page)).join(' '), /須以自然人憑證登入；帳號密碼僅供首次登入及一日密碼使用/);
  await checkA11y(page, 'login: password refused by policy');
  await clickAndWait(page, page.locator('[data-testid="cert-login-link"]'));
  await signWithCard(page, (u) => u.pathname === '/');
  assert.notEqual(await page.locator('[data-testid="last-certificate-login"]').innerText(), '從未');
  assert.equal(await page.getByTestId('certificate-due').count(), 0);

  // 5. The portal tile of the certificate-required system: consent, then the system has the user, by certificate.
  await Promise.all([page.waitForURL(/\/sso\/interaction\/[^/]+$/, { waitUntil: 'load' }), page.getByRole('link', { name: '進入商品標示管理系統' }).click()]);
  assert.equal(await heading(page), '同意授權');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(pcsc.url + '/cb'), { waitUntil: 'load' }), page.getByRole('button', { name: '同意並繼續' }).click()]);
  assert.equal(pcsc.last?.idClaims.sub, String(userId));
  assert.equal(pcsc.last?.idClaims.acr, ACR.certificate);
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
  await adminCtx.close();
});

test('SSO-2 AUTH-8: from a password session, the certificate-required system offers the card, and the step-up goes on into the system (en)', async () => {
  // The first test's card holder: certificate sign-in allowed, not required; the card is registered.
  const nid = 'B12345678';
  card = await makeCitizen(h.g3, { name: '林建國', last4: (nid + checkDigitFor(nid)).slice(-4) });
  const holder = await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'cardholder').executeTakeFirstOrThrow();
  await t.deps.db.deleteFrom('cert_bindings').where('account_id', '=', holder.id).execute();
  await giveRoles(t.deps, holder.id, 'pcsc_user');
  const ctx = await newContext(browser, { locale: 'en-US' });
  const page = await ctx.newPage();
  await login(page, t, 'cardholder', 'Correct-Horse-9');
  await page.goto(t.url + '/account/certificates');
  await signWithCard(page, /done=registered/);
  await checkA11y(page, 'certificates (en)');
  await page.goto(t.url + '/');
  await page.getByRole('link', { name: /Commodity labelling management/ }).click();
  await page.getByTestId('step-up').waitFor({ timeout: 30_000 });
  assert.match((await notices(page)).join(' '), /requires signing in with a citizen digital certificate/);
  await checkA11y(page, 'refusal with step-up (en)');
  await clickAndWait(page, page.getByTestId('step-up'));
  assert.match(where(page), /^\/login\/certificate\?next=/);
  await checkA11y(page, 'certificate sign-in for a step-up (en)');
  await page.locator('#cert-pin').fill(PIN);
  await page.locator('form[data-cert] button').click();
  await page.locator('main form button[name="decision"][value="accept"]').waitFor({ timeout: 30_000 });
  assert.equal(await heading(page), 'Consent');
  await checkA11y(page, 'consent after step-up (en)');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(pcsc.url + '/cb'), { waitUntil: 'load' }), page.locator('main form button[name="decision"][value="accept"]').click()]);
  assert.equal(pcsc.last?.idClaims.sub, String(holder.id));
  assert.equal(pcsc.last?.idClaims.acr, ACR.certificate);
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});
