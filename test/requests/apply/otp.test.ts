// One-time codes over HTTP (AUTH-6, seed 000 steps 3 and 5): wrong, expired, reused and foreign
// codes refused; five wrong entries kill a code; resend after a 60-second cool-down voids the old
// one; sends limited per destination and per client address; an existing contact verifies by
// e-mail OR mobile and is signed in, once, where the unit's policy allows a password sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { startSmtp, type TestSmtp } from '../../helpers/mail.ts';
import { startSmsGateway, type TestSmsGateway } from '../../helpers/sms-gateway.ts';
import { Client, type Res } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { POST_OID, newApplicant, postIdentity, latestCodes, postCodes, sentCount, digitsOf, type Applicant } from '../../helpers/apply.ts';
import { drainOutbox } from '../../../src/platform/outbox.ts';
import { setPolicy } from '../../../src/orgs/service.ts';
import { loadActor } from '../../../src/access/actor.ts';
import { MINUTE } from '../../../src/platform/clock.ts';

const SECOND = 1000;
let t: TestApp;
let smtp: TestSmtp;
let gw: TestSmsGateway;
let ipSerial = 0;
const nextIp = () => `203.0.113.${++ipSerial}`;

before(async () => {
  smtp = await startSmtp();
  gw = await startSmsGateway();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, TESSERA_SMS_URL: gw.url, TESSERA_OUTBOX_POLL_MS: '0', TESSERA_TRUST_PROXY: 'true' } });
});
after(async () => { await t?.close(); await gw?.close(); await smtp?.close(); });

const db = () => t.deps.db;
const fieldErrors = (r: Res) => [...r.body.matchAll(/id="(mailCode|smsCode)-error" class="field-error">([^<]+)/g)].map((m) => `${m[1]}: ${m[2]}`);
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function started(a: Applicant = newApplicant()): Promise<{ c: Client; a: Applicant; codes: { mail: string; sms: string } }> {
  const c = new Client(t.url, nextIp());
  const before = sentCount(smtp, gw, a);
  assert.equal((await postIdentity(t, c, a)).status, 303);
  return { c, a, codes: await latestCodes(t, smtp, gw, a, before) };
}

test('AUTH-6: a wrong code is refused and takes one of five tries; after five, even the right code is refused; a resent code works', async () => {
  const { c, a, codes } = await started();
  let r = await postCodes(c, { mail: other(codes.mail), sms: codes.sms });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['mailCode: 驗證碼錯誤，還可再試 4 次。']);
  assert.match(r.body, /data-testid="smsCode-verified"/, 'the right SMS code counted');
  for (const left of [3, 2, 1, 0]) {
    r = await postCodes(c, { mail: other(codes.mail) });
    assert.deepEqual(fieldErrors(r), [`mailCode: 驗證碼錯誤，還可再試 ${left} 次。`]);
  }
  r = await postCodes(c, { mail: codes.mail });
  assert.equal(r.status, 422, 'the right code after five wrong ones');
  assert.deepEqual(fieldErrors(r), ['mailCode: 驗證碼錯誤次數過多已失效，請按「重新發送」取得新的驗證碼。']);
  const malformed = await postCodes(c, { mail: '12ab' });
  assert.deepEqual(fieldErrors(malformed), ['mailCode: 驗證碼為 6 位數字。'], 'a malformed entry takes no try and says why');

  t.clock.advance(61 * SECOND);
  const before = sentCount(smtp, gw, a);
  const resent = await c.submit('/apply/verify', '/apply/resend', { channel: 'mail' });
  assert.equal(resent.location, '/apply/verify?resent=mail');
  const fresh = (await latestCodes(t, smtp, gw, a, { ...before, sms: before.sms - 1 })).mail;
  // Typed with a space and in full-width digits, as a CJK keyboard may give it.
  const typed = [...fresh].map((d) => String.fromCharCode(0xff10 + Number(d))).join('').replace(/^(...)/, '$1 ');
  assert.equal((await postCodes(c, { mail: typed })).location, '/apply/account');
});

test('AUTH-6: a code expires after ten minutes (ManualClock); new codes after that work', async () => {
  const { c, a, codes } = await started();
  t.clock.advance(10 * MINUTE + SECOND);
  const r = await postCodes(c, codes);
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), [
    'mailCode: 驗證碼已逾時，請按「重新發送」取得新的驗證碼。', 'smsCode: 驗證碼已逾時，請按「重新發送」取得新的驗證碼。',
  ]);
  const before = sentCount(smtp, gw, a);
  assert.equal((await c.submit('/apply/verify', '/apply/resend', { channel: 'mail' })).status, 303);
  assert.equal((await c.submit('/apply/verify', '/apply/resend', { channel: 'sms' })).status, 303);
  const fresh = await latestCodes(t, smtp, gw, a, before);
  assert.equal((await postCodes(c, fresh)).location, '/apply/account');
});

test('AUTH-6: resend within 60 seconds is refused; afterwards the new code voids the old one', async () => {
  const { c, a, codes } = await started();
  const early = await c.submit('/apply/verify', '/apply/resend', { channel: 'sms' });
  assert.equal(early.status, 429);
  assert.match(early.body, /請於 60 秒後再重新發送。/);
  t.clock.advance(30 * SECOND);
  assert.match((await c.submit('/apply/verify', '/apply/resend', { channel: 'sms' })).body, /請於 30 秒後再重新發送。/);
  t.clock.advance(30 * SECOND);
  const before = sentCount(smtp, gw, a);
  assert.equal((await c.submit('/apply/verify', '/apply/resend', { channel: 'sms' })).location, '/apply/verify?resent=sms');
  const fresh = (await latestCodes(t, smtp, gw, a, { ...before, mail: before.mail - 1 })).sms;
  assert.notEqual(fresh, codes.sms);
  const stale = await postCodes(c, { mail: codes.mail, sms: codes.sms });
  assert.deepEqual(fieldErrors(stale), ['smsCode: 驗證碼錯誤，還可再試 4 次。'], 'the old SMS code died with the resend: it is compared with the new one');
  assert.equal((await postCodes(c, { sms: fresh })).location, '/apply/account');
  // A verified channel is not sent again.
  t.clock.advance(61 * SECOND);
  assert.equal((await c.submit('/apply/account', '/apply/resend', { channel: 'mail' })).status, 409);
});

test('AUTH-6: a code counts only for its own application and only once', async () => {
  const a = newApplicant();
  const first = await started(a);
  t.clock.advance(61 * SECOND);
  const second = await started(a);
  assert.notEqual(first.codes.mail, second.codes.mail);
  const crossed = await postCodes(second.c, first.codes);
  assert.equal(crossed.status, 422, 'the first application\'s codes do not open the second');
  assert.equal((await postCodes(first.c, first.codes)).location, '/apply/account');
  // The used challenge row cannot be taken again (the draft moved on; the row is marked used).
  const used = await db().selectFrom('otp_challenges').select(['used_at']).where('used_at', 'is not', null).execute();
  assert.ok(used.length >= 2);
});

test('AUTH-6: at most 5 codes per e-mail address or mobile number an hour, and 20 per client address; a refused send writes nothing', async () => {
  const a = newApplicant();
  for (let i = 0; i < 5; i++) await started(a);
  const before = sentCount(smtp, gw, a);
  const drafts = await db().selectFrom('application_drafts').select('id').execute();
  const sixth = await postIdentity(t, new Client(t.url, nextIp()), a);
  assert.equal(sixth.status, 429);
  assert.match(sixth.body, /驗證碼發送次數過多，請稍後再試。/);
  assert.equal(await drainOutbox(t.deps), 0);
  assert.deepEqual(sentCount(smtp, gw, a), before);
  assert.equal((await db().selectFrom('application_drafts').select('id').execute()).length, drafts.length, 'no draft for a refused send');
  // Another address to the same mobile number is refused too.
  assert.equal((await postIdentity(t, new Client(t.url, nextIp()), { ...newApplicant(), mobile: a.mobile })).status, 429);
  t.clock.advance(60 * MINUTE);
  assert.equal((await postIdentity(t, new Client(t.url, nextIp()), a)).status, 303, 'a new window');

  const ip = nextIp();
  for (let i = 0; i < 20; i++) assert.equal((await postIdentity(t, new Client(t.url, ip), newApplicant())).status, 303, `send ${i + 1}`);
  assert.equal((await postIdentity(t, new Client(t.url, ip), newApplicant())).status, 429, 'the 21st from one address');
  await drainOutbox(t.deps);
});

test('AUTH-6, seed 000 step 3: an existing contact picks their masked name, gives e-mail and mobile on record, verifies by SMS and is signed in once; unmatched details look the same and send nothing', async () => {
  const contactId = await createAccount(t.deps, {
    username: 'wangdaming', password: 'Correct-Horse-9', unitOid: POST_OID, name: '王大明',
    profile: { email: 'daming.wang@post.gov.tw', mobile: '0955-123456', department: '資訊處' },
  });
  const identity = await new Client(t.url).get(`/apply/identity?oid=${POST_OID}`);
  assert.match(identity.body, /href="\/apply\/contact\?oid=2\.16\.886\.101\.20003\.20008\.20074"/);
  const c = new Client(t.url, nextIp());
  const form = await c.get(`/apply/contact?oid=${POST_OID}`);
  assert.match(form.body, new RegExp(`<option value="${contactId}">王○明（資訊處）</option>`));
  assert.doesNotMatch(form.body, /王大明|daming|0955/, 'names masked, contact details never shown');

  const texts = () => gw.received.filter((m) => m.json?.to === '0955123456').length;
  const mails = () => smtp.received.filter((m) => m.to === 'daming.wang@post.gov.tw').length;
  const submit = (client: Client, f: Record<string, string>) =>
    client.submit(`/apply/contact?oid=${POST_OID}`, '/apply/contact', () => ({ oid: POST_OID, accountId: String(contactId), captcha: t.lastCaptcha(), ...f }));

  // Wrong e-mail: the same answer, no message to anyone.
  const wrong = new Client(t.url, nextIp());
  const w = await submit(wrong, { email: 'someone.else@post.gov.tw', mobile: '0955-123456', channel: 'sms' });
  assert.equal(w.location, '/apply/contact/verify');
  const wrongPage = await wrong.get('/apply/contact/verify');
  await drainOutbox(t.deps);
  assert.equal(texts(), 0);
  assert.equal(mails(), 0);
  assert.equal((await wrong.submit('/apply/contact/verify', '/apply/contact/verify', { code: '123456' })).status, 422);
  assert.equal((await wrong.submit('/apply/contact/verify', '/apply/contact/resend', {})).status, 429, 'the cool-down applies alike');
  t.clock.advance(61 * SECOND);
  assert.equal((await wrong.submit('/apply/contact/verify', '/apply/contact/resend', {})).location, '/apply/contact/verify?resent=1');
  await drainOutbox(t.deps);
  assert.equal(texts() + mails(), 0, 'a resend for unmatched details sends nothing either');

  const r = await submit(c, { email: 'Daming.Wang@post.gov.tw', mobile: '0955123456', channel: 'sms' });
  assert.equal(r.location, '/apply/contact/verify');
  const page = await c.get('/apply/contact/verify');
  assert.equal(page.body.replace(/value="[^"]*"/g, ''), wrongPage.body.replace(/value="[^"]*"/g, ''), 'matched and unmatched pages are identical');
  await drainOutbox(t.deps);
  const sms = await gw.waitFor((m) => m.json?.to === '0955123456');
  assert.match(String(sms.json!.text), /身分驗證碼/);
  assert.equal(mails(), 0, 'one channel only: the one chosen');
  const code = String(sms.json!.text).match(/(\d{6})/)![1];

  const sessionsBefore = (await db().selectFrom('sessions').select('id_hash').where('account_id', '=', contactId).execute()).length;
  const fields = { _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)![1], code };
  const [x, y] = await Promise.all([c.post('/apply/contact/verify', fields), c.post('/apply/contact/verify', fields)]);
  const wins = [x, y].filter((res) => res.status === 303 && res.location === '/');
  assert.equal(wins.length, 1, `exactly one sign-in from one code (got ${x.status} ${x.location} / ${y.status} ${y.location})`);
  const sessions = await db().selectFrom('sessions').select(['auth_method']).where('account_id', '=', contactId).execute();
  assert.equal(sessions.length, sessionsBefore + 1);
  assert.ok(sessions.some((s) => s.auth_method === 'otp'));
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /王大明/);
  assert.equal((await c.post('/apply/contact/verify', fields)).location, '/apply?expired=1', 'the code and its draft are spent');
  const events = await db().selectFrom('audit_events').select(['result']).where('action', '=', 'auth.login.otp').where('target_id', '=', String(contactId)).execute();
  assert.deepEqual(events.map((e) => e.result), ['ok']);
});

test('AUTH-6, AUTH-9: a contact whose unit requires a certificate is verified but not signed in by a code', async () => {
  const UNIT = '2.16.886.101.90029.20002';
  const central = await db().selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
  const policy = await setPolicy(t.deps, await loadActor(t.deps, central.id), UNIT, { 'login.certificate': 'true', 'login.certificateRequired': 'true' }, null);
  assert.ok(policy.ok);
  const id = await createAccount(t.deps, { username: 'certonly01', password: ADMIN_PASSWORD, unitOid: UNIT, name: '李小華', profile: { email: 'hua.li@example.gov.tw', mobile: '0966-654321' } });
  const c = new Client(t.url, nextIp());
  const r = await c.submit(`/apply/contact?oid=${UNIT}`, '/apply/contact', () => ({
    oid: UNIT, accountId: String(id), email: 'hua.li@example.gov.tw', mobile: '0966-654321', channel: 'mail', captcha: t.lastCaptcha(),
  }));
  assert.equal(r.location, '/apply/contact/verify');
  await drainOutbox(t.deps);
  const mail = await smtp.waitFor((m) => m.to === 'hua.li@example.gov.tw');
  assert.equal(mail.subject, 'Tessera 身分驗證碼');
  const v = await c.submit('/apply/contact/verify', '/apply/contact/verify', { code: mail.text.match(/^(\d{6})$/m)![1] });
  assert.equal(v.status, 403);
  assert.match(v.body, /您的單位規定須以憑證或密碼登入/);
  assert.equal((await db().selectFrom('sessions').select('id_hash').where('account_id', '=', id).execute()).length, 0);
  void digitsOf;
});
