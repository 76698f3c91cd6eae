// Layout primitives of printed request forms (REQ-5): line wrapping and bordered tables that go
// on over page breaks. pdfkit's own table clamps a row taller than a page (a long comment would be
// cut off), so rows here are split between lines instead, and the header row is repeated.
import { pdfLibs } from './pdf-libs.ts';

type Doc = PDFKit.PDFDocument;

/** Line height as a multiple of the font size, and how far text is raised within its line so
 * that CJK ideographs sit in the middle (Noto Sans TC's ascent leaves more room above them). */
const LINE = 1.4;
const RAISE = 0.06;
/** A row of up to this many lines is moved whole to the next page rather than split. */
const KEEP_TOGETHER_LINES = 4;

/** Splits text into lines no wider than maxWidth at Unicode (UAX #14) break opportunities:
 * between CJK characters and after spaces, never before a closing mark such as ， or 。.
 * A word is cut only when it alone is wider than a line. Always at least one line. */
export function wrapLines(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const source = text.replace(/\t/g, ' ');
  const lines: string[] = [];
  let line = '';
  let width = 0;
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
    width = 0;
  };
  const breaker = new (pdfLibs().LineBreaker)(source);
  let start = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    const word = source.slice(start, bk.position).replace(/[\r\n\v\f\u0085\u2028\u2029]+$/, '');
    start = bk.position;
    const ink = word.trimEnd();
    const inkWidth = measure(ink);
    if (line && width + inkWidth > maxWidth) flush();
    if (!line && inkWidth > maxWidth) {
      const pieces = cutToWidth(ink, maxWidth, measure);
      for (const piece of pieces.slice(0, -1)) {
        line = piece;
        flush();
      }
      line = pieces[pieces.length - 1] + word.slice(ink.length);
      width = measure(line);
    } else {
      line += word;
      width += measure(word);
    }
    if (bk.required) flush();
  }
  if (line || lines.length === 0) flush();
  return lines;
}

function cutToWidth(word: string, maxWidth: number, measure: (s: string) => number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece && measure(piece + ch) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  pieces.push(piece);
  return pieces;
}

export interface Box { left: number; top: number; width: number; bottom: number }

/** A document with a writing position; page breaks go through newPage. */
export class Sheet {
  y: number;
  constructor(readonly doc: Doc, readonly box: Box) {
    this.y = box.top;
  }
  get room(): number {
    return this.box.bottom - this.y;
  }
  newPage(): void {
    this.doc.addPage();
    this.y = this.box.top;
  }
  lineHeight(size: number): number {
    return size * LINE;
  }
  wrap(text: string, width: number, size: number): string[] {
    this.doc.fontSize(size);
    return wrapLines(text, width, (s) => this.doc.widthOfString(s));
  }
  /** One line of text whose line box starts at top (no wrapping, no automatic page break). */
  line(text: string, x: number, top: number, size: number, align: 'left' | 'center' | 'right' = 'left', width = 0): void {
    if (!text) return;
    this.doc.fontSize(size);
    const spare = Math.max(0, width - this.doc.widthOfString(text));
    const dx = align === 'center' ? spare / 2 : align === 'right' ? spare : 0;
    this.doc.text(text, x + dx, top - RAISE * size, { lineBreak: false });
  }
}

export interface Cell { text: string; shaded?: boolean }
export interface Row { cells: Cell[]; minLines?: number }
export interface TableStyle { size: number; padX: number; padY: number; shade: string; border: string; borderWidth: number }

/** Draws rows of bordered cells at sheet.y with the given column widths, moving to a new page
 * (and repeating the header) when a row does not fit. */
export function drawTable(sheet: Sheet, style: TableStyle, widths: number[], rows: Row[], header?: Row): void {
  const lh = sheet.lineHeight(style.size);
  const layout = (row: Row) => row.cells.map((cell, i) => sheet.wrap(cell.text, widths[i] - 2 * style.padX, style.size));
  const lineCount = (row: Row, lines: string[][]) => Math.max(row.minLines ?? 1, ...lines.map((l) => l.length));
  const heightOf = (n: number) => n * lh + 2 * style.padY;
  const headerLines = header ? layout(header) : [];
  const headerHeight = header ? heightOf(lineCount(header, headerLines)) : 0;
  const drawHeader = () => {
    if (header) drawSegment(sheet, style, widths, header, headerLines, 0, lineCount(header, headerLines));
  };
  const laidOut = rows.map((row) => ({ row, lines: layout(row) }));
  const first = laidOut[0];
  const firstLines = first ? Math.min(lineCount(first.row, first.lines), KEEP_TOGETHER_LINES) : 0;
  if (sheet.room < headerHeight + heightOf(firstLines)) sheet.newPage();
  drawHeader();
  for (const { row, lines } of laidOut) {
    const count = lineCount(row, lines);
    let from = 0;
    while (from < count) {
      const fit = Math.floor((sheet.room - 2 * style.padY) / lh);
      const rest = count - from;
      if (rest <= fit) {
        drawSegment(sheet, style, widths, row, lines, from, count);
        break;
      }
      if (rest > KEEP_TOGETHER_LINES && fit >= 2) {
        drawSegment(sheet, style, widths, row, lines, from, from + fit);
        from += fit;
      }
      sheet.newPage();
      drawHeader();
    }
  }
}

/** Lines [from, to) of one row, each cell filled (if shaded), written and framed. */
function drawSegment(sheet: Sheet, style: TableStyle, widths: number[], row: Row, lines: string[][], from: number, to: number): void {
  const { doc } = sheet;
  const lh = sheet.lineHeight(style.size);
  const height = (to - from) * lh + 2 * style.padY;
  let x = sheet.box.left;
  row.cells.forEach((cell, i) => {
    if (cell.shaded) doc.rect(x, sheet.y, widths[i], height).fill(style.shade).fillColor('black');
    lines[i].slice(from, to).forEach((text, n) => sheet.line(text, x + style.padX, sheet.y + style.padY + n * lh, style.size));
    doc.lineWidth(style.borderWidth).rect(x, sheet.y, widths[i], height).stroke(style.border);
    x += widths[i];
  });
  sheet.y += height;
}
