// SMS through the outbox (OPS-3) against a local HTTP gateway: the configured URL, auth header and
// body template; written in the action's transaction; retried with the mail backoff; no number or
// text in logs or stored errors; shown on the development outbox page; config validated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { startSmsGateway, type TestSmsGateway } from '../helpers/sms-gateway.ts';
import { Client } from '../helpers/client.ts';
import { login } from '../helpers/login.ts';
import { enqueueSms, drainOutbox, drainWith } from '../../src/platform/outbox.ts';
import { httpSmsSender, smsBody } from '../../src/platform/sms.ts';
import { loadConfig, ConfigError } from '../../src/config.ts';

const SECOND = 1000;
let t: TestApp;
let gw: TestSmsGateway;
const logLines: string[] = [];
const TEMPLATE = '{"account":"tessera","dest":"{to_e164}","local":"{to}","msg":"{text}"}';

before(async () => {
  gw = await startSmsGateway();
  t = await startTestApp({
    env: {
      TESSERA_SMS_URL: gw.url, TESSERA_SMS_AUTH_HEADER: 'X-Api-Key: k3y-Secret', TESSERA_SMS_BODY_TEMPLATE: TEMPLATE,
      TESSERA_OUTBOX_POLL_MS: '0', LOG_LEVEL: 'info',
    },
    logLines,
  });
});
after(async () => { await t?.close(); await gw?.close(); });

const enqueue = (to: string, text: string) => t.deps.db.transaction().execute((trx) => enqueueSms(trx, t.deps.clock.now(), { to, text }));
const row = (id: number) => t.deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('OPS-3: an SMS is POSTed to TESSERA_SMS_URL with the auth header and the body template filled in (JSON-escaped)', async () => {
  const text = '【Tessera】驗證碼 "123456"\n請勿提供給他人';
  const id = await enqueue('0912-345678', text);
  assert.equal(await drainOutbox(t.deps), 1);
  const m = await gw.waitFor((x) => x.json?.local === '0912345678');
  assert.equal(m.path, '/send');
  assert.equal(m.headers['x-api-key'], 'k3y-Secret');
  assert.equal(m.headers['content-type'], 'application/json');
  assert.deepEqual(m.json, { account: 'tessera', dest: '+886912345678', local: '0912345678', msg: text }, 'quotes and newlines survive JSON escaping');
  const r = await row(id);
  assert.equal(r.channel, 'sms');
  assert.ok(r.sent_at);
  assert.equal(r.attempts, 1);
});

test('OPS-3: a refused SMS is retried with the mail backoff (30 s, then 1 min); neither the stored error nor the logs carry the number or the text', async () => {
  gw.refuseNext(2);
  const id = await enqueue('0987-654321', '【Tessera】驗證碼 654321');
  assert.equal(await drainOutbox(t.deps), 1);
  let r = await row(id);
  assert.equal(r.sent_at, null);
  assert.equal(r.next_attempt_at!.getTime() - t.clock.now().getTime(), 30 * SECOND);
  assert.match(r.last_error!, /503/);
  t.clock.advance(30 * SECOND);
  assert.equal(await drainOutbox(t.deps), 1);
  r = await row(id);
  assert.equal(r.attempts, 2);
  assert.equal(r.next_attempt_at!.getTime() - t.clock.now().getTime(), 60 * SECOND);
  t.clock.advance(60 * SECOND);
  assert.equal(await drainOutbox(t.deps), 1);
  assert.ok((await row(id)).sent_at);
  await gw.waitFor((x) => x.json?.local === '0987654321');
  const logs = logLines.join('\n').replace(/"(time|pid)":\d+/g, '');
  assert.match(logs, /"channel":"sms"/);
  assert.match(logs, /sms delivery failed/);
  for (const secret of ['0987', '654321', '987654321', 'k3y-Secret', '驗證碼']) assert.ok(!logs.includes(secret), `logs must not contain ${secret}`);
});

test('OPS-3: an instance with only a mail sender leaves SMS rows for one with a gateway', async () => {
  const id = await enqueue('0911-111111', 'waiting for a gateway');
  let sentMail = 0;
  const mailOnly = { send: async () => { sentMail++; }, close: () => {} };
  assert.equal(await drainWith(t.deps, mailOnly), 0, 'the SMS is not claimed by a mail-only worker');
  assert.equal(sentMail, 0);
  assert.equal((await row(id)).attempts, 0);
  assert.equal(await drainWith(t.deps, { sms: httpSmsSender(t.deps.config.sms!) }), 1);
  assert.ok((await row(id)).sent_at);
});

test('OPS-3: /dev/outbox shows the SMS channel (number and text) to the central authority, filtered by channel', async () => {
  await enqueue('0922-000111', '【Tessera】頁面上的簡訊');
  const c = new Client(t.url);
  assert.equal((await login(t, c, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const all = await c.get('/dev/outbox');
  assert.equal(all.status, 200);
  assert.match(all.body, /簡訊：0922-000111/);
  assert.match(all.body, /【Tessera】頁面上的簡訊/);
  assert.match(all.body, /已設定 TESSERA_SMS_URL/);
  const mailOnly = await c.get('/dev/outbox?channel=mail');
  assert.doesNotMatch(mailOnly.body, /0922-000111/);
  const smsOnly = await c.get('/dev/outbox?channel=sms');
  assert.match(smsOnly.body, /0922-000111/);
  assert.equal((await new Client(t.url).get('/dev/outbox?channel=sms')).status, 303, 'anonymous: to the login page');
});

test('OPS-3: SMS settings are validated at start and never echoed; form and XML bodies are escaped for their type', () => {
  assert.equal(loadConfig({}).sms, undefined);
  const c = loadConfig({ TESSERA_SMS_URL: 'https://sms.example.tw/api' });
  assert.equal(c.sms!.bodyTemplate, '{"to":"{to}","text":"{text}"}');
  assert.equal(c.sms!.contentType, 'application/json');
  assert.equal(c.sms!.authHeader, undefined);
  assert.throws(() => loadConfig({ TESSERA_SMS_URL: 'ftp://user:pw1secret@x' }), (e: Error) => e instanceof ConfigError && !e.message.includes('pw1secret'));
  assert.throws(() => loadConfig({ TESSERA_SMS_URL: 'https://x', TESSERA_SMS_AUTH_HEADER: 'no colon here' }), /TESSERA_SMS_AUTH_HEADER/);
  assert.throws(() => loadConfig({ TESSERA_SMS_URL: 'https://x', TESSERA_SMS_BODY_TEMPLATE: '{"to":"{to}"}' }), /\{text\}/);
  const form = { bodyTemplate: 'user=t&to={to}&msg={text}', contentType: 'application/x-www-form-urlencoded' };
  assert.equal(smsBody(form, { to: '0912-345678', text: '碼 1&2' }), `user=t&to=0912345678&msg=${encodeURIComponent('碼 1&2')}`);
  const xml = { bodyTemplate: '<sms><to>{to_e164}</to><text>{text}</text></sms>', contentType: 'text/xml; charset=utf-8' };
  assert.equal(smsBody(xml, { to: '0912-345678', text: '<b>&' }), '<sms><to>+886912345678</to><text>&lt;b&gt;&amp;</text></sms>');
  assert.equal(smsBody(form, { to: '0912-345678', text: 'literal {to}' }), `user=t&to=0912345678&msg=${encodeURIComponent('literal {to}')}`, 'a placeholder inside the text stays text');
});
