// Account CSV import and export (issue 3) and the live username check (ACC-2): a registration
// administrator of one agency imports through the page, the API and the CLI; every row follows the
// add-account rules, refusals name their line, nothing is written unless every row passes; the
// export holds exactly the accounts of the jurisdiction, national IDs masked, with a BOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signedIn as signedInAs } from '../helpers/login.ts';
import { checkDigitFor, maskNationalId } from '../../src/accounts/national-id.ts';
import { initialPassword } from '../../src/auth/issued-passwords.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand, accountCsvCommand } from '../../src/admin/cli.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { LANG_COOKIE } from '../../src/platform/http/context.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';

const AGENCY = '2.16.886.101.90027.20002';
const CHILD = AGENCY + '.20011';
const SIBLING = '2.16.886.101.90029.20002';
const PASSWORD = 'Correct-Horse-9';
const HEADER = 'username,name,national_id,birth_month,birth_day,email,mobile,title,department,office_phone,office_ext,unit_oid';

let t: TestApp;
let token = '';
let serial = 0;
const newNationalId = () => { const first9 = `B1${String(6660000 + ++serial).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };
const row = (o: Partial<Record<string, string>> = {}) => {
  const r = { username: `csvuser${String(++serial).padStart(3, '0')}`, name: '陳大文', national_id: newNationalId(), birth_month: '4', birth_day: '9',
    email: '', mobile: '', title: '', department: '', office_phone: '', office_ext: '', unit_oid: CHILD, ...o };
  return { ...r, line: HEADER.split(',').map((c) => r[c as keyof typeof r]).join(',') };
};
const csvOf = (...rows: { line: string }[]) => `${HEADER}\n${rows.map((r) => r.line).join('\n')}\n`;

before(async () => {
  t = await startTestApp();
  const ra = await createAccount(t.deps, { username: 'raagency1', password: PASSWORD, unitOid: '2.16.886.101', name: '註冊管理者' });
  await createGrant(t.deps, null, { accountId: ra, kind: 'registration_admin', jurisdictionOid: AGENCY, categories: ['csm', 'bms'] }, null);
  await createAccount(t.deps, { username: 'plainuser', password: PASSWORD, unitOid: CHILD, name: '一般使用者' });
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', 'raagency1'], { out: (s) => { out += s; }, err: () => {} }), 0);
  token = out.trim();
});
after(async () => { await t?.close(); });

const db = () => t.deps.db;
const accountCount = async () => Number((await db().selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const api = (method: string, url: string, body?: unknown) => fetch(t.url + '/api/v1' + url, {
  method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
});
const signedIn = (username: string): Promise<Client> => signedInAs(t, username, PASSWORD);

test('a dry run checks every row and writes nothing (page and API)', async () => {
  const before = await accountCount();
  const a = row(), b = row();
  const c = await signedIn('raagency1');
  const r = await c.submit('/admin/accounts/import', '/admin/accounts/import', { csv: '\uFEFF' + csvOf(a, b), dryRun: '1' });
  assert.equal(r.status, 200);
  assert.match(r.body, /試算結果：將新增 2 個帳號/);
  assert.match(r.body, new RegExp(`data-line="2">第 2 行：${a.username}`));
  assert.match(r.body, new RegExp(`data-line="3">第 3 行：${b.username}`));
  const j = await api('POST', '/accounts/import', { csv: csvOf(a, b), dryRun: true });
  assert.equal(j.status, 200);
  const body = await j.json();
  assert.deepEqual(body.created.map((x: { line: number; username: string }) => [x.line, x.username]), [[2, a.username], [3, b.username]]);
  assert.deepEqual(body.errors, []);
  assert.equal(await accountCount(), before, 'nothing written');
});

test('errors on lines 3 and 5 are both reported by line, and nothing is written', async () => {
  const before = await accountCount();
  const rows = [row(), row({ national_id: 'A123456788' }), row(), row({ username: 'x!', birth_month: '13' })];
  const j = await api('POST', '/accounts/import', { csv: csvOf(...rows), dryRun: false });
  assert.equal(j.status, 422);
  const body = await j.json();
  assert.deepEqual([...new Set(body.errors.map((e: { line: number }) => e.line))], [3, 5]);
  assert.ok(body.errors.some((e: { line: number; column: string }) => e.line === 3 && e.column === 'national_id'));
  assert.ok(body.errors.some((e: { line: number; column: string; error: string }) => e.line === 5 && e.column === 'username' && e.error === 'username.alnum'));
  assert.ok(body.errors.every((e: { message: string }) => /^第 \d 行/.test(e.message)), 'localised, with the line');
  assert.deepEqual(body.created, []);
  // The page shows the same refusals, in English when asked.
  const c = await signedIn('raagency1');
  c.setCookie(LANG_COOKIE, 'en');
  const r = await c.submit('/admin/accounts/import', '/admin/accounts/import', { csv: csvOf(...rows), dryRun: '0' });
  assert.equal(r.status, 422);
  assert.match(r.body, /data-line="3">Line 3, national_id: /);
  assert.match(r.body, /data-line="5">Line 5, username: /);
  assert.doesNotMatch(r.body, /data-line="2"/);
  assert.equal(await accountCount(), before, 'nothing written');
});

test('a row outside the jurisdiction, or repeating another row, is refused by its line', async () => {
  const before = await accountCount();
  const a = row();
  const dup = row({ username: a.username });
  const outside = row({ unit_oid: SIBLING });
  const body = await (await api('POST', '/accounts/import', { csv: csvOf(a, outside, dup), dryRun: false })).json();
  assert.deepEqual(body.errors.map((e: { line: number; column: string; error: string }) => [e.line, e.column, e.error]),
    [[3, 'unit_oid', 'admin.unitOutside'], [4, 'username', 'admin.csv.duplicate']]);
  const header = await (await api('POST', '/accounts/import', { csv: 'username,name,colour\nabcdefg,王,red\n', dryRun: true })).json();
  assert.equal(header.errors[0].line, 1);
  assert.equal(header.errors[0].error, 'admin.csv.header');
  assert.equal(await accountCount(), before);
});

test('the import creates every account in one go, each with its initial password and audit event', async () => {
  const a = row(), b = row({ birth_month: '12', birth_day: '31' });
  const c = await signedIn('raagency1');
  const r = await c.submit('/admin/accounts/import', '/admin/accounts/import', { csv: csvOf(a, b), dryRun: '0' });
  assert.equal(r.status, 303, r.body.slice(0, 300));
  assert.equal(r.location, '/admin/accounts/import?created=2');
  assert.match((await c.get(r.location!)).body, /已匯入 2 個帳號/);
  for (const x of [a, b]) {
    const acc = await db().selectFrom('accounts').selectAll().where('username', '=', x.username).executeTakeFirstOrThrow();
    assert.equal(acc.state, 'not_activated');
    assert.equal(acc.unit_oid, CHILD);
    const pw = await db().selectFrom('passwords').selectAll().where('account_id', '=', acc.id).executeTakeFirstOrThrow();
    assert.equal(pw.kind, 'initial');
    assert.ok(await t.deps.hasher.verify(pw.hash, initialPassword(Number(x.birth_month), Number(x.birth_day), x.national_id)));
    const events = await db().selectFrom('audit_events').selectAll().where('action', '=', 'account.create').where('target_id', '=', String(acc.id)).execute();
    assert.equal(events.length, 1);
  }
  assert.equal((await db().selectFrom('audit_events').select('seq').where('action', '=', 'account.import').execute()).length, 1);
  assert.equal((await verifyAuditChain(db())).broken ?? null, null);
  // Importing the same file again: every row is now taken.
  const again = await (await api('POST', '/accounts/import', { csv: csvOf(a, b), dryRun: true })).json();
  assert.deepEqual(again.errors.filter((e: { column: string }) => e.column === 'username').map((e: { line: number; error: string }) => [e.line, e.error]), [[2, 'username.taken'], [3, 'username.taken']]);
});

test('the export holds exactly the accounts inside the jurisdiction, national IDs masked, UTF-8 with a BOM', async () => {
  const insideId = newNationalId(), outsideId = newNationalId();
  await createAccount(t.deps, { username: 'exportin1', password: PASSWORD, unitOid: AGENCY, name: '匯出內', profile: { nationalId: insideId } });
  await createAccount(t.deps, { username: 'exportout', password: PASSWORD, unitOid: SIBLING, name: '匯出外', profile: { nationalId: outsideId } });
  const expected = (await db().selectFrom('accounts').select('username').where('state', '!=', 'deleted')
    .where((eb) => eb.or([eb('unit_oid', '=', AGENCY), eb('unit_oid', 'like', AGENCY + '.%')])).execute()).map((r) => r.username).sort();
  const c = await signedIn('raagency1');
  for (const res of [await api('GET', '/accounts/export.csv'), await fetch(t.url + '/admin/accounts/export.csv', { headers: { cookie: `${SESSION_COOKIE}=${c.cookie(SESSION_COOKIE)}` } })]) {
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.trim().split('\n');
    assert.equal(lines[0], HEADER + ',state');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), expected);
    assert.ok(text.includes(maskNationalId(insideId)));
    assert.ok(!text.includes(insideId) && !text.includes(outsideId) && !text.includes('exportout') && !text.includes(SIBLING));
    assert.ok(!/\$argon2|hash/i.test(text));
  }
});

test('CLI: account import/export act with the --as account\'s grants; exit codes 0, 1, 2', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-csv-'));
  const file = path.join(dir, 'in.csv');
  let out = '', err = '';
  const io = { out: (s: string) => { out += s; }, err: (s: string) => { err += s; }, read: (f: string) => fs.readFileSync(f, 'utf8'), write: (f: string, d: string) => fs.writeFileSync(f, d) };
  const run = (sub: string, ...args: string[]) => { out = ''; err = ''; return accountCsvCommand(t.deps, sub, args, io, { tty: true, bar: (d, n) => `[${d}/${n}]` }); };
  const a = row();
  fs.writeFileSync(file, csvOf(a));
  const before = await accountCount();
  assert.equal(await run('import', file, '--dry-run', '--as', 'raagency1'), 0);
  assert.match(out, /dry run: would create 1 accounts/);
  assert.match(err, /\[1\/1\]/, 'progress bar on a TTY');
  assert.equal(await accountCount(), before);
  fs.writeFileSync(file, csvOf(row(), row({ unit_oid: SIBLING })));
  assert.equal(await run('import', file, '--as', 'raagency1'), 1);
  assert.match(err, /Line 3, unit_oid: This unit is outside your jurisdiction/);
  assert.equal(await accountCount(), before);
  assert.equal(await run('import', file, '--as', 'plainuser'), 1);
  assert.match(err, /no grant/);
  assert.equal(await run('import', file), 2);
  assert.equal(await run('import', '--as', 'raagency1'), 2);
  assert.equal(await run('import', file, '--as', 'nosuchuser'), 1);
  fs.writeFileSync(file, csvOf(a));
  assert.equal(await run('import', file, '--as', 'raagency1'), 0);
  assert.match(out, /created 1 accounts/);
  assert.equal(await accountCount(), before + 1);
  const exported = path.join(dir, 'out.csv');
  assert.equal(await run('export', exported, '--as', 'raagency1'), 0);
  const bytes = fs.readFileSync(exported);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(bytes.toString('utf8'), new RegExp(`^${a.username},`, 'm'));
  assert.equal(await run('export', exported, '--as', 'plainuser'), 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('ACC-2: the username check answers taken, free and invalid to an administrator, and is "not found" to anyone else', async () => {
  const c = await signedIn('raagency1');
  const check = async (client: Client, username: string, unit = CHILD) => {
    const r = await client.get(`/admin/accounts/username-check?username=${encodeURIComponent(username)}&unit=${unit}`);
    return { status: r.status, body: r.status === 200 ? JSON.parse(r.body) : null };
  };
  const taken = await check(c, 'plainuser');
  assert.deepEqual([taken.status, taken.body.available, taken.body.error], [200, false, 'username.taken']);
  assert.ok(taken.body.message.length > 0);
  const free = await check(c, 'freshname42');
  assert.deepEqual([free.status, free.body.available, free.body.error], [200, true, null]);
  const invalid = await check(c, 'ab!');
  assert.deepEqual([invalid.status, invalid.body.available, invalid.body.error], [200, false, 'username.alnum']);
  assert.equal((await check(c, 'freshname42', SIBLING)).status, 404, 'a unit outside the jurisdiction');
  assert.equal((await check(c, 'freshname42', 'not-an-oid')).status, 404);
  const plain = await signedIn('plainuser');
  assert.equal((await check(plain, 'plainuser')).status, 404);
  assert.equal((await check(plain, 'freshname42')).status, 404);
  const anon = await new Client(t.url).get('/admin/accounts/username-check?username=plainuser&unit=' + CHILD);
  assert.notEqual(anon.status, 200);
  // The add form carries the live region the script fills.
  const form = await c.get(`/admin/accounts/new?unit=${CHILD}`);
  assert.match(form.body, /id="username-check"[^>]*aria-live="polite"/);
});
