// How national IDs and mobile numbers are typed and what is kept (ACC-1, issue 9 items 8 and 15):
// one normalisation each, the same through the JSON API, the administrator's forms, the CSV
// import, the self-service profile and /apply, and the stored form is what is shown back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';
import { newApplicant, newNationalId, postIdentity } from '../helpers/apply.ts';
import { centralAuthority, type Api } from '../helpers/api.ts';
import { maskNationalId } from '../../src/accounts/national-id.ts';
import { normaliseMobile } from '../../src/accounts/mobile.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const PASSWORD = 'Correct-Horse-9';

let t: TestApp;
let api: Api;
let admin: Client;
let serial = 0;
before(async () => {
  t = await startTestApp();
  ({ client: admin, api } = await centralAuthority(t));
});
after(async () => { await t?.close(); });

const newUsername = () => `input${String(++serial).padStart(4, '0')}`;
/** A national ID as people paste it: lower case, grouped with spaces, a tab and a newline around it. */
const sloppy = (id: string) => `\t${id.slice(0, 4).toLowerCase()} ${id.slice(4, 7)} ${id.slice(7)}\n`;
const storedOf = (username: string) => t.deps.db.selectFrom('accounts').select(['id', 'mobile', 'national_id_enc']).where('username', '=', username).executeTakeFirstOrThrow();
const nationalIdOf = async (username: string) => t.deps.keyring.decrypt((await storedOf(username)).national_id_enc!);

test('ACC-1 (issue 9 item 8): the API takes a national ID in lower case with spaces and a newline, stores it upper case, answers it masked and finds it so typed', async () => {
  const id = newNationalId(), username = newUsername();
  const r = await api('POST', '/accounts', { username, name: '陳大文', unitOid: UNIT, nationalId: sloppy(id), birthMonth: 4, birthDay: 9, mobile: '+886912345678' });
  assert.equal(r.status, 201, await r.clone().text());
  const { id: accountId } = await r.json() as { id: number };
  assert.equal(await nationalIdOf(username), id);
  const got = await (await api('GET', `/accounts/${accountId}`)).json() as { nationalIdMasked: string; mobile: string };
  assert.equal(got.nationalIdMasked, maskNationalId(id));
  const found = await api('GET', `/accounts?nationalId=${encodeURIComponent(sloppy(id))}`);
  assert.equal(found.status, 200);
  assert.deepEqual((await found.json() as { items: { id: number }[] }).items.map((i) => i.id), [accountId]);
  assert.equal((await api('GET', '/accounts?nationalId=A123456788')).status, 400, 'a wrong checksum is still refused');
});

test('ACC-1 (issue 9 item 8): the add-account form takes the same sloppy national ID and shows the stored form back', async () => {
  const id = newNationalId(), username = newUsername();
  const r = await admin.submit('/admin/accounts/new', '/admin/accounts', { username, name: '林小華', unitOid: UNIT, nationalId: sloppy(id), birthMonth: '5', birthDay: '1', mobile: '0912 345 678' });
  assert.equal(r.status, 303, r.body.match(/class="field-error">([^<]+)/)?.[1] ?? '');
  assert.equal(await nationalIdOf(username), id);
  const shown = await admin.get(r.location!);
  assert.ok(shown.body.includes(maskNationalId(id)), 'the stored form, masked, on the account page');
  assert.match(shown.body, /name="mobile" type="tel" value="0912-345678"/);
  const search = await admin.get(`/admin/accounts?nationalId=${encodeURIComponent(sloppy(id))}`);
  assert.ok(search.body.includes(username), 'the search form finds it as typed');
});

test('ACC-1 (issue 9 item 15): every way of typing a mobile is stored as 09xx-xxxxxx, through the API, the CSV import and the edit form', async () => {
  for (const typed of ['0912345678', '0912-345678', '0912 345 678', '+886912345678', '+886-912-345-678', '０９１２３４５６７８']) {
    assert.equal(normaliseMobile(typed), '0912-345678', typed);
  }
  for (const bad of ['0812345678', '091234567', '+8869123456789', '02-23921310', '0912-34567a']) assert.equal(normaliseMobile(bad), null, bad);
  const username = newUsername();
  const csv = `username,name,unit_oid,national_id,birth_month,birth_day,mobile\n${username},王大同,${UNIT},${newNationalId()},3,3,0955123456\n`;
  const imported = await api('POST', '/accounts/import', { csv, dryRun: false });
  assert.equal(imported.status, 201, await imported.clone().text());
  assert.equal((await storedOf(username)).mobile, '0955-123456');
  const { id } = await storedOf(username);
  const patched = await api('PATCH', `/accounts/${id}`, { mobile: '+886 966 654 321' });
  assert.equal(patched.status, 200, await patched.clone().text());
  assert.equal((await storedOf(username)).mobile, '0966-654321');
  const page = await admin.get(`/admin/accounts/${id}`);
  const saved = await admin.post(`/admin/accounts/${id}`, { ...hiddenFields(page.body), name: '王大同', mobile: '0977 111 222' });
  assert.equal(saved.status, 303, saved.body.match(/class="field-error">([^<]+)/)?.[1] ?? '');
  assert.equal((await storedOf(username)).mobile, '0977-111222');
  const refused = await api('PATCH', `/accounts/${id}`, { mobile: '0812345678' });
  assert.equal(refused.status, 422);
});

test('ACC-1 (issue 9 item 15): the profile page and /apply accept a mobile without the hyphen and show 09xx-xxxxxx', async () => {
  await createAccount(t.deps, { username: 'selfmobile', password: PASSWORD, unitOid: UNIT, name: '林建國' });
  const c = new Client(t.url);
  assert.equal((await login(t, c, 'selfmobile', PASSWORD)).status, 303);
  const form = await c.get('/profile');
  const r = await c.post('/profile', { ...hiddenFields(form.body), mobile: '0912345678' });
  assert.equal(r.status, 303, r.body.match(/class="field-error">([^<]+)/)?.[1] ?? '');
  assert.match((await c.get('/profile')).body, /value="0912-345678"/);

  const applicant = newApplicant({ mobile: '0988' + String(Date.now() % 1_000_000).padStart(6, '0') });
  const applying = new Client(t.url);
  const started = await postIdentity(t, applying, applicant);
  assert.equal(started.status, 303, started.body.match(/class="field-error">([^<]+)/)?.[1] ?? '');
  const sms = await t.deps.db.selectFrom('outbox').select('recipient').where('channel', '=', 'sms').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  assert.equal(sms.recipient, `${applicant.mobile.slice(0, 4)}-${applicant.mobile.slice(4)}`, 'the code goes to the stored form');
});
