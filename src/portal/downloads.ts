// 下載區 (SSO-4, seed 003): forms and manuals, a fixed list shipped with the code in
// src/portal/downloads/. Agencies change a document by replacing its file; a list the operators
// edit at run time can come later without changing the page.
import fs from 'node:fs';
import path from 'node:path';
import { srcFile } from '../paths.ts';
import type { MessageKey } from '../platform/web/messages.ts';

export interface Download { file: string; title: MessageKey; type: string }

export const DOWNLOADS: readonly Download[] = [
  { file: 'user-guide.txt', title: 'download.userGuide', type: 'text/plain; charset=utf-8' },
  { file: 'admin-guide.txt', title: 'download.adminGuide', type: 'text/plain; charset=utf-8' },
  { file: 'account-application-form.txt', title: 'download.accountForm', type: 'text/plain; charset=utf-8' },
  { file: 'issue-report-form.txt', title: 'download.issueForm', type: 'text/plain; charset=utf-8' },
];

const DIR = srcFile('portal', 'downloads');

/** The listed document's bytes; a name not on the list is never read (no path from the URL reaches the disk). */
export function readDownload(file: string): { download: Download; content: Buffer } | undefined {
  const download = DOWNLOADS.find((d) => d.file === file);
  return download ? { download, content: fs.readFileSync(path.join(DIR, download.file)) } : undefined;
}
