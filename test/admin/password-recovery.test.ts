// 還原密碼 vs a set-password link (AUTH-4, ACC-7, ADM-5; issue 9 item 12): the account page offers
// the action that fits the account's activation scheme, never a button that can only fail; the
// API refuses the other one clearly. Mail received by a real SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../helpers/mail.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { drainOutbox } from '../../src/platform/outbox.ts';
import { tokenCommand } from '../../src/admin/cli.ts';

const SCHOOL = '2.16.886.111.90001.10300'; // sample policy: set-password link (seed 001)
const AGENCY = '2.16.886.101.90027.20002.20011'; // default policy: MmDd initial password (seed 003)
const OLD = 'Correct-Horse-9';
const NEW = 'Lantern-Orchid-73';

let t: TestApp;
let smtp: TestSmtp;
let admin: Client;
let token = '';
before(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
  admin = new Client(t.url);
  assert.equal((await login(t, admin, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', ADMIN_USERNAME], { out: (s) => { out += s; }, err: () => {} }), 0);
  token = out.trim();
});
after(async () => { await t?.close(); await smtp?.close(); });

const api = (id: number, action: string) => fetch(`${t.url}/api/v1/accounts/${id}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
const buttons = (html: string) => [...html.matchAll(/action="\/admin\/accounts\/\d+\/([a-z-]+)"/g)].map((m) => m[1]);

test('ADM-5 AUTH-4 ACC-7 issue 9 item 12: a school sub-account (link scheme, no birthday or ID) gets "send a new set-password link", never 還原密碼', async () => {
  const email = 'teacher12@school.edu.tw';
  const id = await createAccount(t.deps, { username: '010300_teacher12', password: OLD, unitOid: SCHOOL, name: '張老師', profile: { email } });
  const page = await admin.get(`/admin/accounts/${id}`);
  assert.ok(!buttons(page.body).includes('reset-password'), 'no 還原密碼 button');
  assert.ok(buttons(page.body).includes('resend-mail'));
  assert.match(page.body, /寄送設定新密碼連結/);

  const refused = await api(id, 'reset-password');
  assert.equal(refused.status, 409);
  const body = await refused.json() as { error: string; message: string };
  assert.equal(body.error, 'admin.reset.useLink');
  assert.match(body.message, /寄送設定新密碼連結/, 'the refusal names the action that fits');

  const sent = await admin.submit(`/admin/accounts/${id}`, `/admin/accounts/${id}/resend-mail`, {});
  assert.equal(sent.status, 303);
  assert.match((await admin.get(sent.location!)).body, /已寄送設定新密碼連結給 張老師/);
  await drainOutbox(t.deps);
  await smtp.waitFor(() => smtp.received.some((m) => m.to === email));
  const mail = smtp.received.find((m) => m.to === email)!;
  assert.match(mail.subject, /設定新密碼連結/);
  const link = mail.text.match(/https?:\/\/\S+(\/activate\/[A-Za-z0-9_-]{43})/)![1];

  const session = new Client(t.url);
  assert.equal((await login(t, session, '010300_teacher12', OLD)).status, 303, 'the current password works until the link is used');
  const anon = new Client(t.url);
  assert.equal((await anon.get(link)).status, 200);
  assert.equal((await anon.submit(link, link, { next: NEW, confirm: NEW })).status, 303);
  assert.equal((await anon.get(link)).status, 404, 'single use');
  assert.equal((await session.get('/')).status, 303, 'sessions ended with the old password');
  assert.notEqual((await login(t, new Client(t.url), '010300_teacher12', OLD)).location, '/', 'the old password is void');
  assert.equal((await login(t, new Client(t.url), '010300_teacher12', NEW)).location, '/', 'the new password works, no forced change');
  const a = await t.deps.db.selectFrom('accounts').select('state').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(a.state, 'enabled');
});

test('ADM-5 AUTH-4 issue 9 item 12: an agency account (initial-password scheme) gets 還原密碼; the link is refused; without the data neither is offered', async () => {
  const id = await createAccount(t.deps, {
    username: 'agency12user', password: OLD, unitOid: AGENCY, name: '林科員',
    profile: { email: 'agency12@example.gov.tw', birthMonth: 3, birthDay: 9, nationalId: 'A123456789' },
  });
  const page = await admin.get(`/admin/accounts/${id}`);
  assert.ok(buttons(page.body).includes('reset-password'));
  assert.ok(!buttons(page.body).includes('resend-mail'), 'no link button for an activated initial-password account');
  const link = await api(id, 'resend-mail');
  assert.equal(link.status, 409);
  assert.equal((await link.json() as { error: string }).error, 'admin.resend.useReset');
  assert.equal((await api(id, 'reset-password')).status, 200);

  const bare = await createAccount(t.deps, { username: 'agency12bare', password: OLD, unitOid: AGENCY, name: '無資料' });
  const barePage = await admin.get(`/admin/accounts/${bare}`);
  assert.ok(!buttons(barePage.body).some((b) => b === 'reset-password' || b === 'resend-mail' || b === 'one-day-password'), 'no button that can only fail');
  assert.match(barePage.body, /無法還原密碼或寄送連結/);
  const r = await api(bare, 'reset-password');
  assert.equal(r.status, 409);
  assert.equal((await r.json() as { error: string }).error, 'admin.noInitialData');
});
