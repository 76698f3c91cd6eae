// Self-service profile (ACC-1, ACC-4, ACC-5) through HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login } from '../helpers/login.ts';

let t: TestApp;
let id: number;
let c: Client;
before(async () => {
  t = await startTestApp();
  id = await createAccount(t.deps, {
    username: 'selfserve1', password: 'Correct-Horse-9', name: '林建國',
    profile: { nationalId: 'A123456789', email: 'c2576@taichung.gov.tw', title: '約僱人員' },
  });
  c = new Client(t.url);
  await login(t, c, 'selfserve1', 'Correct-Horse-9');
});
after(async () => { await t?.close(); });

const account = () => t.deps.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
async function save(fields: Record<string, string>) {
  const form = await c.get('/profile');
  return c.post('/profile', { ...hiddenFields(form.body), ...currentValues(form.body), ...fields });
}
/** The form's current input values, as a browser would submit them. */
function currentValues(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input id="(\w+)" name="\w+" type="\w+" value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, '&');
  return out;
}

test('ACC-4: organisation, unit, name and national ID are shown locked, the ID masked, with the change-request note', async () => {
  const r = await c.get('/profile');
  assert.equal(r.status, 200);
  assert.match(r.body, /機關、單位、姓名及身分證字號須經異動申請/);
  assert.match(r.body, /<dd>林建國<\/dd>/);
  assert.match(r.body, /data-testid="national-id">A12\*\*\*\*789</);
  assert.doesNotMatch(r.body, /A123456789/);
  assert.doesNotMatch(r.body, /name="name"|name="nationalId"|name="unitOid"/, 'no inputs for locked fields');
  assert.match(r.body, /value="約僱人員"/);
});

test('ACC-5: free fields are saved and audited by field name only', async () => {
  const r = await save({ mobile: '0912-345678', department: '商業科', officePhone: '04-22203100', officeExt: '21613' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/profile?done=1');
  const a = await account();
  assert.equal(a.mobile, '0912-345678');
  assert.equal(a.department, '商業科');
  assert.equal(a.office_ext, '21613');
  const ev = await t.deps.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.profile.update').execute();
  assert.equal(ev.length, 1);
  assert.deepEqual((ev[0].details.changed as string[]).sort(), ['department', 'mobile', 'officeExt', 'officePhone']);
  assert.ok(!JSON.stringify(ev[0].details).includes('0912'), 'no personal values in the audit trail');
  assert.match((await c.get('/profile?done=1')).body, /基本資料已更新/);
  assert.equal((await save({})).location, '/profile?done=0', 'saving unchanged data changes nothing');
});

test('ACC-4: locked fields sent in the form are ignored', async () => {
  const r = await save({ name: '王小明', nationalId: 'B123456780', unit_oid: '2.16.886.101.90029.20002', title: '科員' });
  assert.equal(r.status, 303);
  const a = await account();
  assert.equal(a.name, '林建國');
  assert.equal(t.deps.keyring.decrypt(a.national_id_enc!), 'A123456789');
  assert.equal(a.unit_oid, '2.16.886.101.90027.20002.20011');
  assert.equal(a.title, '科員');
});

test('ACC-1: invalid input is refused with a localised message per field, and nothing changes', async () => {
  const before = await account();
  const bad = await save({ mobile: '0912-34567', email: 'someone@gmail.com', title: '技正' });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /行動電話須為 09 開頭的 10 位數字/);
  assert.match(bad.body, /請使用公務信箱（允許的網域：gov\.tw、edu\.tw）/);
  assert.match(bad.body, /aria-invalid="true"/);
  const after = await account();
  assert.equal(after.title, before.title, 'the valid field in the same form was not saved either');
  assert.equal(after.mobile, before.mobile);
  assert.equal((await save({ birthMonth: '2', birthDay: '30' })).status, 422);
});

test('CSRF: a profile post without the token is refused', async () => {
  const r = await c.post('/profile', { title: '駭客' });
  assert.equal(r.status, 403);
  assert.notEqual((await account()).title, '駭客');
});
