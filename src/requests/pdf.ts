// The printed request form (REQ-5): the paper form (D-06-09/10/11) as an A4 PDF in Traditional
// Chinese with the approvals filled in, to be signed and filed. The request engine passes every
// value already localised; this file only lays it out: title, number and date, requester and
// organisation, the fields, the approvals (empty rows for steps still open), signature boxes.
import { pdfLibs } from './pdf-libs.ts';
import { formFont } from './pdf-font.ts';
import { drawTable, Sheet, type Row, type TableStyle } from './pdf-layout.ts';

export interface RequestForm {
  title: string;
  number: string;
  submittedAt: string;
  requester: string;
  organisation: string;
  fields: { label: string; value: string }[];
  steps: { label: string; decidedBy: string | null; decision: string | null; comment: string | null; decidedAt: string | null }[];
  signatures: string[];
}

/** What the form itself prints around the caller's values. Chinese only: the paper forms are
 * Chinese whatever language the requester's pages are in. */
const LABEL = {
  number: '編號',
  submittedAt: '申請日期',
  requester: '申請人',
  organisation: '申請單位',
  fields: '申請內容',
  approvals: '審核紀錄',
  step: '審核關卡',
  decidedBy: '審核人',
  decision: '結果',
  comment: '意見',
  decidedAt: '時間',
  page: (n: number, of: number) => `第 ${n} 頁，共 ${of} 頁`,
};

export const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48; // ≈ 17 mm
const FOOTER = 16; // below the writing box, inside the bottom margin's reach
export const BOX = { left: MARGIN, top: MARGIN, width: A4.width - 2 * MARGIN, bottom: A4.height - MARGIN - FOOTER };
const TITLE_SIZE = 16;
const HEADING_SIZE = 11;
const FOOTER_SIZE = 8;
export const GAP = 10;
export const TABLE: TableStyle = { size: 10, padX: 5, padY: 3, shade: '#ebebeb', border: '#333333', borderWidth: 0.6 };
const SIGNATURES_PER_ROW = 4;
const SIGNATURE_SPACE = 64; // ≈ 23 mm below each label: room for a signature or a seal (印章)

export async function renderRequestPdf(form: RequestForm): Promise<Buffer> {
  const doc = new (pdfLibs().PDFDocument)({
    size: 'A4',
    margin: MARGIN,
    // pdfkit takes a parsed fontkit font as well as a path (its typings say string only): the font
    // is parsed once per process and each document embeds its own subset.
    font: formFont() as unknown as string,
    bufferPages: true, // page numbers are written once the page count is known
    lang: 'zh-TW',
    displayTitle: true,
    info: { Title: form.title, Subject: form.number, Creator: 'Tessera' },
  });
  const pdf = collect(doc);
  const sheet = new Sheet(doc, BOX);
  title(sheet, form.title);
  const w = (BOX.width - 120) / 2;
  drawTable(sheet, TABLE, [60, w, 60, w], [
    labelled([LABEL.number, form.number], [LABEL.submittedAt, form.submittedAt]),
    labelled([LABEL.requester, form.requester], [LABEL.organisation, form.organisation]),
  ]);
  if (form.fields.length > 0) {
    heading(sheet, LABEL.fields);
    drawTable(sheet, TABLE, [BOX.width * 0.3, BOX.width * 0.7], form.fields.map((f) => labelled([f.label, f.value])));
  }
  if (form.steps.length > 0) {
    heading(sheet, LABEL.approvals);
    approvals(sheet, form.steps);
  }
  signatures(sheet, form.signatures);
  footers(sheet, form.number);
  doc.end();
  return pdf;
}

export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** A table row of (shaded label, value) pairs. */
export function labelled(...pairs: [string, string][]): Row {
  return { cells: pairs.flatMap(([label, value]) => [{ text: label, shaded: true }, { text: value }]) };
}

export function title(sheet: Sheet, text: string): void {
  const lh = sheet.lineHeight(TITLE_SIZE);
  for (const line of sheet.wrap(text, BOX.width, TITLE_SIZE)) {
    sheet.line(line, BOX.left, sheet.y, TITLE_SIZE, 'center', BOX.width);
    sheet.y += lh;
  }
  sheet.y += GAP / 2;
}

/** A section heading, kept on the same page as the first lines of its table. */
export function heading(sheet: Sheet, text: string): void {
  const lh = sheet.lineHeight(HEADING_SIZE);
  const keepWith = 3 * sheet.lineHeight(TABLE.size) + 4 * TABLE.padY;
  sheet.y += GAP;
  if (sheet.room < lh + keepWith) sheet.newPage();
  sheet.line(text, BOX.left, sheet.y, HEADING_SIZE);
  sheet.y += lh + 2;
}

function approvals(sheet: Sheet, steps: RequestForm['steps']): void {
  const fixed = [104, 64, 44, 92]; // step, decided by, decision, time; the comment takes the rest
  const widths = [fixed[0], fixed[1], fixed[2], BOX.width - fixed.reduce((a, b) => a + b), fixed[3]];
  const header: Row = {
    cells: [LABEL.step, LABEL.decidedBy, LABEL.decision, LABEL.comment, LABEL.decidedAt].map((text) => ({ text, shaded: true })),
  };
  const rows: Row[] = steps.map((s) => ({
    cells: [s.label, s.decidedBy, s.decision, s.comment, s.decidedAt].map((text) => ({ text: text ?? '' })),
    minLines: s.decision === null ? 2 : 1, // an open step leaves room to fill in by hand
  }));
  drawTable(sheet, TABLE, widths, rows, header);
}

/** Signature boxes (label over a blank space) at the foot of the last page, as on the paper form. */
export function signatures(sheet: Sheet, labels: string[]): void {
  if (labels.length === 0) return;
  const { doc } = sheet;
  const perRow = Math.min(labels.length, SIGNATURES_PER_ROW);
  const width = (BOX.width - GAP * (perRow - 1)) / perRow;
  const lh = sheet.lineHeight(TABLE.size);
  const rows: string[][][] = [];
  for (let i = 0; i < labels.length; i += perRow) {
    rows.push(labels.slice(i, i + perRow).map((label) => sheet.wrap(label, width - 2 * TABLE.padX, TABLE.size)));
  }
  const strips = rows.map((row) => Math.max(...row.map((lines) => lines.length)) * lh + 2 * TABLE.padY);
  const heights = strips.map((strip) => strip + SIGNATURE_SPACE);
  const block = heights.reduce((a, b) => a + b) + GAP * (rows.length - 1);
  if (sheet.room < block + GAP) sheet.newPage();
  if (block <= sheet.room) sheet.y = BOX.bottom - block;
  rows.forEach((row, r) => {
    if (sheet.room < heights[r]) sheet.newPage();
    row.forEach((lines, i) => {
      const x = BOX.left + i * (width + GAP);
      doc.rect(x, sheet.y, width, strips[r]).fill(TABLE.shade).fillColor('black');
      lines.forEach((line, n) => sheet.line(line, x, sheet.y + TABLE.padY + n * lh, TABLE.size, 'center', width));
      doc.lineWidth(TABLE.borderWidth).rect(x, sheet.y, width, heights[r]).stroke(TABLE.border);
      doc.moveTo(x, sheet.y + strips[r]).lineTo(x + width, sheet.y + strips[r]).stroke(TABLE.border);
    });
    sheet.y += heights[r] + GAP;
  });
}

/** Form number and "page n of m" under the writing box of every page. */
export function footers(sheet: Sheet, number: string): void {
  const { doc } = sheet;
  const range = doc.bufferedPageRange();
  const top = BOX.bottom + FOOTER / 2;
  doc.fillColor('#555555');
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    sheet.line(number, BOX.left, top, FOOTER_SIZE);
    sheet.line(LABEL.page(i - range.start + 1, range.count), BOX.left, top, FOOTER_SIZE, 'right', BOX.width);
  }
  doc.fillColor('black');
}
