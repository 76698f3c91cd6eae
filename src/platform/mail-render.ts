// The mail renderer every capability's templates go through (OPS-3, OPS-5). A template is plain
// text per language; the HTML part is derived from it (escaped, links made clickable), so the two
// never disagree. The templates themselves live with their capabilities and are assembled in
// src/mail-templates.ts.
import type { Lang } from './web/messages.ts';

/** A capability's templates: for each name, a plain-text renderer per language. */
export type MailTemplateTable<T> = { [K in keyof T]: Record<Lang, (v: T[K]) => { subject: string; text: string }> };

export interface RenderedMail { subject: string; text: string; html: string }

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Pieces of `text`, each plain or a link: for the HTML part and the development outbox page. */
export function splitLinks(text: string): { text: string; href?: string }[] {
  const out: { text: string; href?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

function textToHtml(text: string, lang: Lang): string {
  const paragraphs = text.trim().split(/\n{2,}/).map((p) =>
    '<p>' + splitLinks(p).map((s) => s.href ? `<a href="${escapeHtml(s.href)}">${escapeHtml(s.text)}</a>` : escapeHtml(s.text)).join('').replace(/\n/g, '<br>') + '</p>');
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-Hant-TW'}"><body>${paragraphs.join('\n')}</body></html>`;
}

/** The rendered subject and text of a template, with its HTML part. */
export function withHtml(m: { subject: string; text: string }, lang: Lang): RenderedMail {
  return { subject: m.subject, text: m.text, html: textToHtml(m.text, lang) };
}
