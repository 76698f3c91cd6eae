// REQ-5: the printed request form. Read back with a real PDF text extractor (pdf.js), so the tests
// fail if a glyph is missing, the ToUnicode map is wrong, text is clipped or the font is not subset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { create, type Font } from 'fontkit';
import { renderRequestPdf, type RequestForm } from '../../src/requests/pdf.ts';
import { formFont, formFontPath } from '../../src/requests/pdf-font.ts';
import { wrapLines } from '../../src/requests/pdf-layout.ts';
import { ROOT } from '../../src/paths.ts';
import { compact, extractPdfText, readPdf } from '../helpers/pdf-text.ts';

const SENTENCE = '申請人於民國一百一十五年調任商業司，原業務帳號權限需配合職務調整辦理異動。';
const LONG_COMMENT = Array.from({ length: 45 }, (_, i) => `第${i + 1}點：${SENTENCE}`).join('') + '（以上意見由峯堃犇核閱）';

function sampleForm(over: Partial<RequestForm> = {}): RequestForm {
  return {
    title: 'D-06-10 商工 e 網通業務帳號註冊管理者異動申請單',
    number: 'REQ-2026-000123',
    submittedAt: '2026/11/25 09:30',
    requester: '林峯堃',
    organisation: '經濟部商業發展署商業司',
    fields: [
      { label: '申請類別', value: '新增' },
      { label: '系統名稱', value: '公司登記系統、商業登記系統、工廠登記系統、動產擔保登記系統、特定目的事業系統、跨機關影像調閱系統' },
      { label: '帳號', value: 'lin.feng' },
      { label: '離職或異動日', value: '2026/12/01' },
    ],
    steps: [
      { label: '單位主管', decidedBy: '王犇', decision: '同意', comment: '請依規定辦理。', decidedAt: '2026/11/25 10:02' },
      { label: '業務帳號註冊管理者', decidedBy: '陳𡘙', decision: '同意', comment: '已核對人事派令。', decidedAt: '2026/11/26 14:15' },
      { label: '商業發展署', decidedBy: null, decision: null, comment: null, decidedAt: null },
    ],
    signatures: ['申請人', '單位主管', '業務帳號註冊管理者'],
    ...over,
  };
}

function longForm(): RequestForm {
  const form = sampleForm();
  form.steps[1] = { ...form.steps[1], comment: LONG_COMMENT };
  return form;
}

/** The dictionary text and (inflated) stream of indirect object `id` of a pdfkit file. */
function pdfObject(pdf: Buffer, id: number): { dict: string; stream: Buffer | null } {
  const raw = pdf.toString('latin1');
  const start = raw.indexOf(`\n${id} 0 obj\n`);
  assert.ok(start >= 0, `object ${id} not found`);
  const end = raw.indexOf('\nendobj', start);
  const body = raw.slice(start, end);
  const at = body.indexOf('>>\nstream\n');
  if (at < 0) return { dict: body, stream: null };
  const dict = body.slice(0, at + 2);
  const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
  const from = start + at + '>>\nstream\n'.length;
  const data = pdf.subarray(from, from + length);
  return { dict, stream: dict.includes('/FlateDecode') ? zlib.inflateSync(data) : data };
}

test('REQ-5: the printed form carries title, number, date, names, fields, approvals and signature labels as extractable Chinese text', async () => {
  const form = sampleForm();
  const text = compact(await extractPdfText(await renderRequestPdf(form)));
  const expected = [
    form.title, form.number, form.submittedAt, form.requester, form.organisation,
    ...form.fields.flatMap((f) => [f.label, f.value]),
    ...form.steps.flatMap((s) => [s.label, s.decidedBy, s.decision, s.comment, s.decidedAt].filter((v): v is string => v !== null)),
    ...form.signatures,
    '編號', '申請日期', '申請人', '申請單位', '審核紀錄', '審核人', '意見',
  ];
  for (const s of expected) assert.ok(text.includes(compact(s)), `missing from the PDF text: ${s}`);
  // Less common characters of personal names, one outside the Basic Multilingual Plane (U+21619).
  for (const ch of ['峯', '堃', '犇', '𡘙']) assert.ok(text.includes(ch), `missing: ${ch}`);
  assert.ok(!text.includes('null'), 'an open step prints empty cells, not "null"');
});

test('REQ-5: a very long comment wraps within its cell and goes on over page breaks without losing text', async () => {
  const form = longForm();
  const pdf = await readPdf(await renderRequestPdf(form));
  assert.ok(pdf.pageCount >= 2, `expected a second page, got ${pdf.pageCount}`);
  // Cells are written one after another, so the comment is interrupted only by its row's time
  // cell, the page footers and the repeated approvals header; without them it reads whole.
  const header = ['審核關卡', '審核人', '結果', '意見', '時間'].join('');
  const footers = pdf.pages.map((_, i) => `第${i + 1}頁，共${pdf.pageCount}頁`);
  let all = compact(pdf.pages.join(''));
  for (const noise of [...footers, form.number, header, compact(form.steps[1].decidedAt!)]) all = all.replaceAll(noise, '');
  assert.ok(all.includes(compact(LONG_COMMENT)), 'the whole comment is printed, in order');
  assert.ok(compact(pdf.pages[0]).includes('第1點'), 'the comment starts on page 1');
  const lastPoint = pdf.pages.findIndex((page) => compact(page).includes('核閱）'));
  assert.ok(lastPoint >= 1, 'the end of the comment is on a later page');
  assert.ok(compact(pdf.pages[lastPoint]).includes(header), 'the approvals header is repeated on the continuation page');
  // Wrapped: the comment cell is far narrower than one sentence, so no text run holds a whole one.
  assert.ok(pdf.items.flat().every((item) => !item.str.includes(SENTENCE)));
  // The open step after the long one and the signature boxes follow on the last page, at its foot.
  const last = pdf.items[pdf.pageCount - 1];
  assert.ok(last.some((item) => item.str === '商業發展署'));
  for (const label of form.signatures) {
    const item = last.find((i) => i.str === label);
    assert.ok(item, `signature label ${label} on the last page`);
    assert.ok(item.y < 841.89 / 3, `signature label ${label} in the lower third of the page (y=${item.y})`);
  }
});

test('REQ-5: a valid A4 PDF: header, trailer, pages with page numbers, title in the document info', async () => {
  const buf = await renderRequestPdf(longForm());
  assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(buf.subarray(-32).toString('latin1'), /startxref\s+\d+\s+%%EOF\s*$/);
  const pdf = await readPdf(buf);
  const declared = /\/Type \/Pages\n\/Count (\d+)/.exec(buf.toString('latin1'));
  assert.equal(Number(declared?.[1]), pdf.pageCount);
  for (const [w, h] of pdf.sizes) assert.deepEqual([Math.round(w), Math.round(h)], [595, 842]);
  pdf.pages.forEach((page, i) => assert.ok(compact(page).includes(`第${i + 1}頁，共${pdf.pageCount}頁`), `page number on page ${i + 1}`));
  assert.equal(pdf.title, sampleForm().title);
});

test('REQ-5: only Noto Sans TC is embedded, as a subset of the glyphs used, with a ToUnicode map; a form stays under 300 KB', async () => {
  const buf = await renderRequestPdf(longForm());
  assert.ok(buf.length < 300_000, `form is ${buf.length} bytes`);
  const raw = buf.toString('latin1');
  const fonts = [...raw.matchAll(/\/BaseFont \/([^\s/]+)/g)].map((m) => m[1]);
  assert.ok(fonts.length > 0);
  for (const name of fonts) assert.match(name, /^[A-Z]{6}\+NotoSansTC-Regular$/, 'subset tag + PostScript name');
  assert.ok(!/Helvetica|Times|Courier/.test(raw), 'no standard (non-embedded) font');
  const type0 = [...raw.matchAll(/\/Subtype \/Type0[^]*?>>/g)].map((m) => m[0]);
  assert.ok(type0.length > 0 && type0.every((dict) => /\/ToUnicode \d+ 0 R/.test(dict)), 'every composite font maps back to Unicode');
  for (const m of raw.matchAll(/\/FontFile2 (\d+) 0 R/g)) {
    const program = pdfObject(buf, Number(m[1])).stream;
    assert.ok(program);
    const embedded = create(program) as Font;
    assert.ok(embedded.numGlyphs < 400, `embedded font has ${embedded.numGlyphs} glyphs (the full font has ${formFont().numGlyphs})`);
  }
});

test('REQ-5: the font is parsed once per process and found through the package resolver, also from the esbuild bundle', async () => {
  assert.equal(formFont(), formFont());
  assert.ok(fs.existsSync(formFontPath()) && formFontPath().endsWith('NotoSansTC_400Regular.ttf'));
  // Bundle this module the way scripts/build.mjs bundles the server (packages external, into dist/),
  // and print a form from the bundle: the font must resolve from there too.
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'dist', 'pdf-test-'));
  try {
    const outfile = path.join(dir, 'pdf.js');
    await build({ entryPoints: [path.join(ROOT, 'src/requests/pdf.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'warning' });
    const script = `const { renderRequestPdf } = await import(${JSON.stringify(outfile)});` +
      `const buf = await renderRequestPdf(${JSON.stringify(sampleForm())}); process.stdout.write(buf.toString('base64'));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    assert.ok(compact(await extractPdfText(Buffer.from(out, 'base64'))).includes('林峯堃'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('REQ-5: wrapping breaks between Chinese characters, keeps ，。 off a line start, cuts only words wider than a line', () => {
  const oneEach = (s: string) => [...s].length; // every character one unit wide
  assert.deepEqual(wrapLines('申請人於民國調任', 3, oneEach), ['申請人', '於民國', '調任']);
  assert.deepEqual(wrapLines('同意辦理。請核', 4, oneEach), ['同意辦', '理。請核']); // 。 stays with 理
  assert.deepEqual(wrapLines('see the account', 8, oneEach), ['see the', 'account']);
  assert.deepEqual(wrapLines('abcdefghij', 4, oneEach), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrapLines('第一行\n\n第三行', 10, oneEach), ['第一行', '', '第三行']);
  assert.deepEqual(wrapLines('', 10, oneEach), ['']);
});
