// Passkeys in Chromium with its virtual authenticator (AUTH-11; RECIPES.md "Passkeys"): register
// on 登入方式, sign out, usernameless sign-in lands on the portal; a bogus signature and failed
// user verification are refused; a deny-listed AAGUID is refused at registration; after removal
// the passkey no longer signs in; without JavaScript the button stays hidden and the text says
// why; every page is axe-clean. The site is reached as http://localhost (a secure context and a
// valid RP ID, which 127.0.0.1 is not).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { givePasskey } from '../helpers/factories.ts';
import { createAccount } from '../helpers/accounts.ts';
import { launchBrowser, newContext, checkA11y, heading, login, notices, where, clickAndWait } from './helpers.ts';

let t: TestApp;
let site: TestApp;
let browser: Browser;
before(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const url = t.url.replace('127.0.0.1', 'localhost');
  t.deps.config.baseUrl = url;
  site = { ...t, url };
});
after(async () => { await browser?.close(); await t?.close(); });

const PASSWORD = 'Correct-Horse-9';
const VIRTUAL_AAGUID = '01020304-0506-0708-0102-030405060708';

/** A page whose browser has a virtual platform authenticator (resident keys, user verification). */
async function withAuthenticator(ctx: BrowserContext): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  return { page, cdp, authenticatorId };
}

async function statusText(page: Page, form: 'register' | 'login', not = ''): Promise<string> {
  const el = page.locator(`form[data-passkey="${form}"] [data-passkey-status]`);
  await page.waitForFunction(([f, n]) => {
    const s = document.querySelector(`form[data-passkey="${f}"] [data-passkey-status]`)?.textContent ?? '';
    return s !== '' && s !== n;
  }, [form, not] as const, { timeout: 15_000 });
  return (await el.innerText()).trim();
}

async function registerPasskey(page: Page): Promise<void> {
  await page.goto(site.url + '/account/passkeys');
  await page.locator('form[data-passkey="register"] button').waitFor({ state: 'visible' });
  await Promise.all([page.waitForURL(/done=registered/), page.locator('form[data-passkey="register"] button').click()]);
}

async function signOut(page: Page): Promise<void> {
  await clickAndWait(page, page.locator('.session-actions form[action="/logout"] button'));
  assert.equal(where(page), '/login?done=logout');
}

async function passkeySignIn(page: Page): Promise<void> {
  await page.goto(site.url + '/login');
  await page.locator('form[data-passkey="login"] button').click();
}

test('AUTH-11: register a passkey, sign out, sign in without a username, land on the portal', async () => {
  await createAccount(t.deps, { username: 'pkbrowser1', password: PASSWORD, name: '王通行' });
  const ctx = await newContext(browser);
  const { page } = await withAuthenticator(ctx);
  await login(page, site, 'pkbrowser1', PASSWORD);
  assert.equal(where(page), '/');
  await page.goto(site.url + '/account/passkeys');
  assert.equal(await heading(page), '登入方式：通行密鑰');
  assert.equal(await page.locator('[data-passkey-nojs]').first().isHidden(), true, 'with JavaScript the explanation is hidden');
  await checkA11y(page, 'passkeys page (empty)');
  await registerPasskey(page);
  assert.deepEqual(await notices(page), ['已新增通行密鑰「通行密鑰 1」。']);
  assert.equal(await page.locator('[data-testid="passkey-name"]').innerText(), '通行密鑰 1');
  const row = await t.deps.db.selectFrom('passkeys').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.aaguid, VIRTUAL_AAGUID);
  await checkA11y(page, 'passkeys page (one passkey)');

  await signOut(page);
  await checkA11y(page, 'login page with the passkey button');
  await passkeySignIn(page);
  await page.waitForURL(site.url + '/');
  assert.match(await page.locator('main').innerText(), /王通行，您好/);
  const session = await t.deps.db.selectFrom('sessions').innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select('sessions.auth_method').where('accounts.username', '=', 'pkbrowser1').orderBy('sessions.created_at', 'desc').executeTakeFirstOrThrow();
  assert.equal(session.auth_method, 'passkey');
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test('AUTH-11: a bogus signature and failed user verification are refused with the neutral message', async () => {
  await createAccount(t.deps, { username: 'pkbrowser2', password: PASSWORD });
  const ctx = await newContext(browser);
  const { page, cdp, authenticatorId } = await withAuthenticator(ctx);
  await login(page, site, 'pkbrowser2', PASSWORD);
  await registerPasskey(page);
  await signOut(page);

  await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: true });
  await passkeySignIn(page);
  const working = '請依裝置提示完成驗證…';
  assert.equal(await statusText(page, 'login', working), '無法以通行密鑰登入。請確認所選的通行密鑰已註冊於本平台且帳號可以使用，或改用帳號密碼登入。');
  assert.equal(new URL(page.url()).pathname, '/login');

  await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: false, isBadUV: true });
  await passkeySignIn(page);
  assert.equal(await statusText(page, 'login', working), '無法以通行密鑰登入。請確認所選的通行密鑰已註冊於本平台且帳號可以使用，或改用帳號密碼登入。');
  assert.equal(new URL(page.url()).pathname, '/login');
  await checkA11y(page, 'login page after a refused passkey');
  const refusals = await t.deps.db.selectFrom('audit_events').select(['result', 'details']).where('action', '=', 'auth.login.passkey')
    .orderBy('seq', 'desc').limit(2).execute();
  assert.deepEqual(refusals.map((e) => [e.result, (e.details as { reason: string }).reason]), [['failed', 'verify'], ['failed', 'verify']]);
  assert.match((refusals[0].details as { detail: string }).detail, /verif/i, 'user verification');

  await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBadUV: false });
  await passkeySignIn(page);
  await page.waitForURL(site.url + '/');
  await ctx.close();
});

test('AUTH-11: a deny-listed AAGUID is refused at registration with a clear message', async () => {
  const unit = '2.16.886.101.90027.20002.20041';
  const now = t.clock.now();
  await t.deps.db.insertInto('orgs').values({ oid: unit, name: '拒絕清單科', kind: 'unit', created_at: now, updated_at: now }).onConflict((oc) => oc.doNothing()).execute();
  await t.deps.db.insertInto('policies').values({ oid: unit, settings: JSON.stringify({ 'passkey.aaguidDeny': [VIRTUAL_AAGUID] }), updated_at: now }).execute();
  await createAccount(t.deps, { username: 'pkbrowser3', password: PASSWORD, unitOid: unit });
  const ctx = await newContext(browser);
  const { page } = await withAuthenticator(ctx);
  await login(page, site, 'pkbrowser3', PASSWORD);
  await page.goto(site.url + '/account/passkeys');
  await page.locator('form[data-passkey="register"] button').click();
  assert.equal(await statusText(page, 'register', '請依裝置提示完成驗證…'), '您所屬單位的政策不允許使用這個型號的驗證器（通行密鑰）。請改用其他裝置或密碼管理工具。');
  await page.reload();
  assert.equal(await page.locator('[data-testid="passkey-name"]').count(), 0);
  await checkA11y(page, 'passkeys page after a refusal');
  await ctx.close();
});

test('AUTH-11: a removed passkey no longer signs in', async () => {
  await createAccount(t.deps, { username: 'pkbrowser4', password: PASSWORD });
  const ctx = await newContext(browser, { locale: 'en' });
  const { page } = await withAuthenticator(ctx);
  await login(page, site, 'pkbrowser4', PASSWORD);
  await registerPasskey(page);
  assert.equal(await heading(page), 'Sign-in methods: passkeys');
  await checkA11y(page, 'passkeys page (en)');
  await clickAndWait(page, page.locator('form[action$="/remove"] button'));
  assert.deepEqual(await notices(page), ['The passkey has been removed.']);
  assert.equal(await page.locator('[data-testid="passkey-name"]').count(), 0);
  await signOut(page);
  await passkeySignIn(page);
  // The authenticator still holds the credential; the server no longer knows it.
  assert.match(await statusText(page, 'login', 'Follow your device\'s prompt…'), /Could not sign in with a passkey/);
  assert.equal(new URL(page.url()).pathname, '/login');
  await ctx.close();
});

test('AUTH-11: without JavaScript the passkey button stays hidden, the text says why, the password form still works', async () => {
  await createAccount(t.deps, { username: 'pkbrowser5', password: PASSWORD });
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(site.url + '/login');
  assert.equal(await page.locator('form[data-passkey="login"]').isHidden(), true);
  assert.match(await page.locator('[data-passkey-nojs]').innerText(), /需要瀏覽器執行 JavaScript/);
  await login(page, site, 'pkbrowser5', PASSWORD, { goto: false });
  assert.equal(where(page), '/');
  await ctx.close();
});

test('ADM-5 AUTH-11: an administrator sees the passkeys on the account page and removes one', async () => {
  const id = await createAccount(t.deps, { username: 'pkbrowser6', password: PASSWORD, name: '李密鑰' });
  await givePasskey(t.deps, id, 'YubiKey 5 Series');
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await login(page, site, ADMIN_USERNAME, ADMIN_PASSWORD);
  await page.goto(`${site.url}/admin/accounts/${id}`);
  assert.equal(await page.locator('section[aria-labelledby="passkeys-h"] [data-testid="passkey-name"]').innerText(), 'YubiKey 5 Series');
  await checkA11y(page, 'account page with a passkey');
  await clickAndWait(page, page.locator('section[aria-labelledby="passkeys-h"] form button'));
  assert.deepEqual(await notices(page), ['已移除通行密鑰。']);
  assert.match(await page.locator('section[aria-labelledby="passkeys-h"]').innerText(), /此帳號沒有註冊通行密鑰/);
  await checkA11y(page, 'account page after the removal');
  await ctx.close();
});
