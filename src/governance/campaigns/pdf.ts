// GOV-3, GOV-4: the signed review report as a PDF in Traditional Chinese (帳號清查報告) and the
// D-06-20 form (商工 e 網通業務帳號清查單) with the holders' attestations and the reviewer's signature
// block filled in. Layout only, on the request forms' primitives (requests/pdf*.ts: pdfkit, the
// embedded Noto Sans TC subset, tables that go on over pages); the values come from report.ts.
import { pdfLibs } from '../../requests/pdf-libs.ts';
import { formFont } from '../../requests/pdf-font.ts';
import { drawTable, Sheet, type Row } from '../../requests/pdf-layout.ts';
import { BOX, TABLE, collect, footers, heading, labelled, signatures, title } from '../../requests/pdf.ts';

export interface ReviewDocument {
  title: string;
  /** Printed in every footer, e.g. 帳號清查 #12. */
  number: string;
  /** Label/value pairs of the header table, two to a row. */
  header: [string, string][];
  sections: { heading: string; columns: { label: string; share: number }[]; rows: string[][] }[];
  /** Signature boxes: the label, already filled in where signed. */
  signatures: string[];
}

const SMALL = { ...TABLE, size: 8, padX: 3, padY: 2 };

export async function renderReviewPdf(d: ReviewDocument, createdAt: Date): Promise<Buffer> {
  const doc = new (pdfLibs().PDFDocument)({
    size: 'A4', margin: BOX.left, font: formFont() as unknown as string, bufferPages: true, lang: 'zh-TW', displayTitle: true,
    // A fixed creation date (the sign-off's), so the same review always prints the same bytes.
    info: { Title: d.title, Subject: d.number, Creator: 'Tessera', CreationDate: createdAt, ModDate: createdAt },
  });
  const pdf = collect(doc);
  const sheet = new Sheet(doc, BOX);
  title(sheet, d.title);
  const w = (BOX.width - 150) / 2;
  const pairs: Row[] = [];
  for (let i = 0; i < d.header.length; i += 2) pairs.push(labelled(...d.header.slice(i, i + 2)));
  // An odd last pair takes the whole row.
  const last = d.header.length % 2 === 1 ? pairs.pop() : undefined;
  if (pairs.length) drawTable(sheet, TABLE, [75, w, 75, w], pairs);
  if (last) drawTable(sheet, TABLE, [75, BOX.width - 75], [last]);
  for (const s of d.sections) {
    heading(sheet, s.heading);
    const total = s.columns.reduce((a, c) => a + c.share, 0);
    const widths = s.columns.map((c) => (BOX.width * c.share) / total);
    const header: Row = { cells: s.columns.map((c) => ({ text: c.label, shaded: true })) };
    drawTable(sheet, SMALL, widths, s.rows.map((r) => ({ cells: r.map((text) => ({ text })) })), header);
  }
  signatures(sheet, d.signatures);
  footers(sheet, d.number);
  doc.end();
  return pdf;
}
