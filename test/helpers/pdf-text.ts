// Reading printed forms back in tests (REQ-5): the text a PDF reader would copy, through pdf.js
// (unpdf's build), so a test fails if glyphs are missing or not mapped back to Unicode.
import { extractText, extractTextItems, getDocumentProxy } from 'unpdf';

export interface PdfText {
  pageCount: number;
  /** Text of each page; lines that the layout wrapped come out as separate lines. */
  pages: string[];
  /** Size of each page in points, [width, height]. */
  sizes: [number, number][];
  /** Each page's text runs with their position (points, origin at the bottom left). */
  items: { str: string; x: number; y: number }[][];
  /** The document title from its info dictionary. */
  title: string | undefined;
}

export async function readPdf(buf: Uint8Array): Promise<PdfText> {
  const pdf = await getDocumentProxy(new Uint8Array(buf)); // a copy: pdf.js takes over the buffer it is given
  try {
    const { totalPages, text } = await extractText(pdf, { mergePages: false });
    const sizes: [number, number][] = [];
    for (let n = 1; n <= totalPages; n++) {
      const [x0, y0, x1, y1] = (await pdf.getPage(n)).view;
      sizes.push([x1 - x0, y1 - y0]);
    }
    const { items } = await extractTextItems(pdf);
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: string }).Title;
    return { pageCount: totalPages, pages: text, sizes, items: items.map((page) => page.map(({ str, x, y }) => ({ str, x, y }))), title };
  } finally {
    await pdf.destroy();
  }
}

/** All text of a PDF, pages joined by newlines. */
export async function extractPdfText(buf: Uint8Array): Promise<string> {
  return (await readPdf(buf)).pages.join('\n');
}

/** Text without any whitespace, to find a string the layout may have wrapped over lines
 * (table cells wrap Chinese between any two characters). */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
