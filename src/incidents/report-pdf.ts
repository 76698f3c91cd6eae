// INC-5: the closure report and the investigation, handling and improvement report as A4 PDFs in
// Traditional Chinese (filed and signed on paper, like the request forms, whatever the reader's
// page language), laid out with the request forms' PDF writer (src/requests/pdf-layout.ts, the
// embedded Noto Sans TC subset): the incident's facts and times, every item of the report, the
// timeline of events with who and when, the review record, signature boxes.
import { pdfLibs } from '../requests/pdf-libs.ts';
import { formFont } from '../requests/pdf-font.ts';
import { drawTable, Sheet, type Row, type TableStyle } from '../requests/pdf-layout.ts';
import { formatTime } from '../platform/web/format.ts';
import { clockMessages } from './clocks/index.ts';
import { closureMessages } from './closure-messages.ts';
import { itemsOf, requiredItems, type ReportKind } from './reports.ts';
import type { EventRow, IncidentDetailRow } from './store.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const FOOTER = 16;
const BOX = { left: MARGIN, top: MARGIN, width: A4.width - 2 * MARGIN, bottom: A4.height - MARGIN - FOOTER };
const TABLE: TableStyle = { size: 10, padX: 5, padY: 3, shade: '#ebebeb', border: '#333333', borderWidth: 0.6 };
const zh = { ...clockMessages.zh, ...closureMessages.zh } as Record<string, string>;
const t = (k: string) => zh[k] ?? k;
const when = (d: Date | null | undefined) => (d ? formatTime(d, 'zh-TW') : '—');

export const REPORT_TITLE: Record<ReportKind, string> = { closure: '資通安全事件結案報告', investigation: '資通安全事件調查、處理及改善報告' };

export interface ReportPdfInput {
  kind: ReportKind;
  incident: IncidentDetailRow;
  events: EventRow[];
  items: Record<string, string>;
  submitted: EventRow;
}

/** The report number printed on every page: INC-<id>-C (closure) or -I (investigation). */
export const reportNumber = (id: number | string, kind: ReportKind) => `INC-${id}-${kind === 'closure' ? 'C' : 'I'}`;

export async function renderIncidentReportPdf(r: ReportPdfInput): Promise<Buffer> {
  const i = r.incident;
  const number = reportNumber(i.id, r.kind);
  const doc = new (pdfLibs().PDFDocument)({
    size: 'A4', margin: MARGIN, font: formFont() as unknown as string, bufferPages: true, lang: 'zh-TW', displayTitle: true,
    info: { Title: `${REPORT_TITLE[r.kind]}：${i.title}`, Subject: number, Creator: 'Tessera' },
  });
  const pdf = collect(doc);
  const sheet = new Sheet(doc, BOX);
  title(sheet, REPORT_TITLE[r.kind]);
  const first = (k: string) => r.events.find((e) => e.kind === k)?.at ?? null;
  const w = (BOX.width - 160) / 2;
  drawTable(sheet, TABLE, [80, w, 80, w], [
    pair(['報告編號', number], ['事件名稱', i.title]),
    pair(['通報機關', i.org_name], ['主管機關', i.authority_name ?? '無（技術服務中心審核）']),
    pair(['事件等級', i.level ? `${i.level} 級` : '未定'], ['演練', i.drill ? '是（不列入統計）' : '否']),
    pair(['知悉時間', when(i.aware_at)], ['通報時間', when(i.reported_at)]),
    pair(['完成損害控制或復原', when(first('contained'))], ['本報告提交時間', when(r.submitted.at)]),
    pair(['提交人', r.submitted.actor_name ?? '—'], ['逾時原因', r.submitted.reason ?? '—']),
  ]);
  heading(sheet, '報告內容');
  const required = new Set(requiredItems(r.kind, i.level));
  drawTable(sheet, TABLE, [BOX.width * 0.32, BOX.width * 0.68], itemsOf(r.kind)
    .filter((k) => required.has(k) || r.items[k])
    .map((k) => pair([t(`incidents.item.${k}`), r.items[k] ?? '—'])));
  heading(sheet, '事件歷程');
  drawTable(sheet, TABLE, [120, 150, 90, BOX.width - 360], r.events.map((e) => ({
    cells: [{ text: when(e.at) }, { text: t(`clocks.kind.${e.kind}`) + (e.level ? `（${e.level} 級）` : '') }, { text: e.actor_name ?? '系統' }, { text: [e.reason, (e.payload as { note?: string }).note].filter(Boolean).join('；') }],
  })), { cells: ['時間', '事件', '人員', '說明'].map((text) => ({ text, shaded: true })) });
  if (r.kind === 'closure') {
    const decisions = r.events.filter((e) => e.kind === 'closure_approved' || e.kind === 'closure_returned');
    heading(sheet, '審核紀錄');
    drawTable(sheet, TABLE, [120, 90, 90, BOX.width - 300], decisions.length ? decisions.map((e) => ({
      cells: [{ text: when(e.at) }, { text: e.kind === 'closure_approved' ? '通過' : '退回補正' }, { text: e.actor_name ?? '—' }, { text: (e.payload as { note?: string }).note ?? '' }],
    })) : [{ cells: [{ text: '' }, { text: '待審核' }, { text: '' }, { text: '' }], minLines: 2 }],
    { cells: ['時間', '結果', '審核人', '意見'].map((text) => ({ text, shaded: true })) });
  }
  signatures(sheet, r.kind === 'closure' ? ['填報人', '資訊主管', '資安長', '主管機關審核'] : ['填報人', '資訊主管', '資安長']);
  footers(sheet, number);
  doc.end();
  return pdf;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
}

const pair = (...pairs: [string, string][]): Row => ({ cells: pairs.flatMap(([l, v]) => [{ text: l, shaded: true }, { text: v }]) });

function title(sheet: Sheet, text: string): void {
  sheet.line(text, BOX.left, sheet.y, 16, 'center', BOX.width);
  sheet.y += sheet.lineHeight(16) + 5;
}

function heading(sheet: Sheet, text: string): void {
  const lh = sheet.lineHeight(11);
  sheet.y += 10;
  if (sheet.room < lh + 3 * sheet.lineHeight(TABLE.size)) sheet.newPage();
  sheet.line(text, BOX.left, sheet.y, 11);
  sheet.y += lh + 2;
}

function signatures(sheet: Sheet, labels: string[]): void {
  const { doc } = sheet;
  const gap = 10, width = (BOX.width - gap * (labels.length - 1)) / labels.length;
  const strip = sheet.lineHeight(TABLE.size) + 2 * TABLE.padY, height = strip + 64;
  sheet.y += gap;
  if (sheet.room < height) sheet.newPage();
  labels.forEach((label, n) => {
    const x = BOX.left + n * (width + gap);
    doc.rect(x, sheet.y, width, strip).fill(TABLE.shade).fillColor('black');
    sheet.line(label, x, sheet.y + TABLE.padY, TABLE.size, 'center', width);
    doc.lineWidth(TABLE.borderWidth).rect(x, sheet.y, width, height).stroke(TABLE.border);
  });
  sheet.y += height;
}

function footers(sheet: Sheet, number: string): void {
  const { doc } = sheet;
  const range = doc.bufferedPageRange();
  doc.fillColor('#555555');
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    sheet.line(number, BOX.left, BOX.bottom + FOOTER / 2, 8);
    sheet.line(`第 ${p - range.start + 1} 頁，共 ${range.count} 頁`, BOX.left, BOX.bottom + FOOTER / 2, 8, 'right', BOX.width);
  }
  doc.fillColor('black');
}
