// The CJK font of printed request forms (REQ-5): Noto Sans TC Regular from the npm package
// @expo-google-fonts/noto-sans-tc (a runtime dependency, OFL-1.1). Found through the package
// resolver rather than a path relative to this file, so it resolves the same from src/ (tsx) and
// from the dist/ bundle (scripts/build.mjs keeps packages external, so node_modules is beside it).
// The 7 MB file is read and parsed once per process, on the first form printed; pdfkit embeds only
// the glyphs a form uses (subset) with a ToUnicode map, so a form stays small and its text
// can be copied and searched.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Font } from 'fontkit';
import { pdfLibs } from './pdf-libs.ts';

const FONT_FILE = '@expo-google-fonts/noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf';

export function formFontPath(): string {
  return createRequire(import.meta.url).resolve(FONT_FILE);
}

let loaded: Font | undefined;

/** The parsed font, shared by every document (pdfkit makes a fresh subset per document). */
export function formFont(): Font {
  if (!loaded) {
    const parsed = pdfLibs().create(fs.readFileSync(formFontPath()));
    if (!('postscriptName' in parsed)) throw new Error(`${FONT_FILE} is a font collection, expected one font`);
    loaded = parsed;
  }
  return loaded;
}
