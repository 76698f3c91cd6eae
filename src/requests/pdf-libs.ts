// pdfkit, fontkit and linebreak are required with the first form printed, not at start: together
// they hold ~60 MB that an instance would otherwise carry idle (bench/login: RSS idle ≤ 150 MB).
// They are CommonJS packages, so a synchronous require keeps the layout code synchronous.
import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';
import type { create } from 'fontkit';
import type LineBreaker from 'linebreak';

const load = createRequire(import.meta.url);
let libs: { PDFDocument: typeof PDFDocument; create: typeof create; LineBreaker: typeof LineBreaker } | undefined;

export function pdfLibs() {
  libs ??= { PDFDocument: load('pdfkit'), create: load('fontkit').create, LineBreaker: load('linebreak') };
  return libs;
}
