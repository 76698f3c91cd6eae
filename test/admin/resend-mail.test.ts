// 補寄驗證信 by the help-desk and administrators (ACC-7, ADM-1), page and API, mail received by a
// real SMTP server: a fresh set-password link voids the older one; refused for an account not
// waiting for activation, without an e-mail, or within a minute of the last mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { drainOutbox } from '../../src/platform/outbox.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';

const AGENCY = '2.16.886.101.90027.20002';
const PASSWORD = 'Correct-Horse-9';

let t: TestApp;
let smtp: TestSmtp;
let desk: Client;
let token = '';
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
  const id = await createAccount(t.deps, { username: 'helpdesk7', password: PASSWORD, unitOid: AGENCY, name: '客服人員' });
  await createGrant(t.deps, null, { accountId: id, kind: 'helpdesk', jurisdictionOid: AGENCY, categories: [] }, null);
  desk = new Client(t.url);
  assert.equal((await login(t, desk, 'helpdesk7', PASSWORD)).status, 303);
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', 'helpdesk7'], { out: (s) => { out += s; }, err: () => {} }), 0);
  token = out.trim();
});
after(async () => { await t?.close(); await smtp?.close(); });

let n = 0;
async function waiting(opts: { state?: string; email?: string | null } = {}) {
  const username = `waiting${++n}`;
  const email = opts.email === undefined ? `${username}@example.gov.tw` : opts.email;
  const id = await createAccount(t.deps, {
    username, password: 'unused-Password-1', unitOid: AGENCY + '.20011', state: opts.state ?? 'not_activated', name: '王小明',
    profile: { email },
  });
  return { id, username, email };
}
const linksTo = async (to: string, count: number) => {
  await drainOutbox(t.deps);
  await smtp.waitFor(() => smtp.received.filter((m) => m.to === to).length >= count);
  return smtp.received.filter((m) => m.to === to).map((m) => m.text.match(/https?:\/\/\S+(\/activate\/[A-Za-z0-9_-]{43})/)![1]);
};
const resendOnPage = (id: number) => desk.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/resend-mail`, {});
const api = (id: number) => fetch(`${t.url}/api/v1/accounts/${id}/resend-mail`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

test('ACC-7 ADM-1: the help-desk resends the verification mail from the account page; the new link works, the old one is void', async () => {
  const a = await waiting();
  const page = await desk.get(`/admin/accounts/${a.id}`);
  assert.match(page.body, /action="\/admin\/accounts\/\d+\/resend-mail"/, 'the 補寄驗證信 button is shown');
  assert.match(page.body, /補寄驗證信/);
  const first = await resendOnPage(a.id);
  assert.equal(first.status, 303);
  const done = await desk.get(first.location!);
  assert.match(done.body, /已補寄驗證信給 王小明/);
  const [old] = await linksTo(a.email!, 1);

  t.clock.advance(2 * MINUTE);
  assert.equal((await resendOnPage(a.id)).status, 303);
  const [, fresh] = await linksTo(a.email!, 2);
  assert.notEqual(fresh, old);
  const anon = new Client(t.url);
  assert.equal((await anon.get(old)).status, 404, 'the older link is void');
  assert.equal((await anon.submit(fresh, fresh, { next: 'Lantern-Orchid-73', confirm: 'Lantern-Orchid-73' })).status, 303);
  const row = await t.deps.db.selectFrom('accounts').select('state').where('id', '=', a.id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'enabled', 'the link activated the account');
  const audit = await t.deps.db.selectFrom('audit_events').select(['action', 'actor_account_id']).where('action', '=', 'account.activation.resend').where('target_id', '=', String(a.id)).execute();
  assert.equal(audit.length, 2, 'each resend is audited');
  assert.ok(audit.every((e) => e.actor_account_id !== null), 'with the help-desk as actor');

  // Activated now: no verification mail any more; with no birthday or ID for an initial password,
  // the link to set a new password is what fits (issue 9 item 12, admin-password-recovery.test.ts).
  const activated = (await desk.get(`/admin/accounts/${a.id}`)).body;
  assert.doesNotMatch(activated, /補寄驗證信/);
  assert.match(activated, /寄送設定新密碼連結/);
});

test('ACC-7: a second resend within a minute is refused (one mail for a double click); no e-mail, no mail', async () => {
  const a = await waiting();
  assert.equal((await api(a.id)).status, 200);
  const again = await api(a.id);
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error, 'admin.resend.cooldown');
  assert.equal((await linksTo(a.email!, 1)).length, 1);
  const links = await t.deps.db.selectFrom('set_password_links').select('id').where('account_id', '=', a.id).execute();
  assert.equal(links.length, 1, 'the refused resend created no link');

  const none = await waiting({ email: null });
  const r = await api(none.id);
  assert.equal(r.status, 409);
  assert.equal((await r.json()).error, 'admin.resend.noEmail');
});

test('ACC-7: the API answers with the new link\'s expiry; a disabled or out-of-jurisdiction account is refused', async () => {
  const a = await waiting();
  const r = await api(a.id);
  assert.equal(r.status, 200);
  const body = await r.json() as { expiresAt: string };
  assert.equal(new Date(body.expiresAt).getTime() - t.clock.now().getTime(), 72 * 60 * MINUTE);

  const disabled = await waiting({ state: 'disabled' });
  const e = await api(disabled.id);
  assert.equal(e.status, 409);
  assert.equal((await e.json()).error, 'admin.resend.notWaiting');

  const outside = await createAccount(t.deps, { username: 'outside01', password: PASSWORD, unitOid: '2.16.886.101.90029.20002', state: 'not_activated', profile: { email: 'outside01@example.gov.tw' } });
  assert.equal((await api(outside)).status, 404);
  await drainOutbox(t.deps);
  assert.equal(smtp.received.filter((m) => m.to === 'outside01@example.gov.tw').length, 0);
});

test('ACC-7 (issue 9 item 19): an agency account\'s verification mail names its unit instead of a school code and lists its details', async () => {
  const a = await waiting();
  assert.equal((await api(a.id)).status, 200);
  await linksTo(a.email!, 1);
  const text = smtp.received.find((m) => m.to === a.email)!.text;
  assert.match(text, /^如果您並不是【商業科登記股（範例）】的人員，請忽略本信件。/);
  assert.match(text, new RegExp(`「帳號」：${a.username}\\n- 「姓名」：王小明\\n- 「處室名稱」：（未填寫）`));
});
