// GOV-3, GOV-4: what a signed review keeps — the report as CSV (formula-safe writer) and as a PDF
// in Traditional Chinese, and the D-06-20 form (商工 e 網通業務帳號清查單) with each holder's
// attestation and the reviewer's signature filled in. Pure apart from rendering: the run, its
// items (with the effect carried out) and role names in, the three files out.
import crypto from 'node:crypto';
import { toCsv } from '../../platform/csv.ts';
import type { Effect } from './rules.ts';
import type { allItems, findRun } from './store.ts';
import { renderReviewPdf, type ReviewDocument } from './pdf.ts';

/**
 * Rows printed in a PDF. A review of a whole registry (a million items) would be tens of thousands
 * of pages: the PDFs then print the first rows and name the CSV report, whose SHA-256 they carry,
 * for the full list.
 */
export const PDF_MAX_ROWS = 10_000;
const sectionHeading = (title: string, n: number) => (n > PDF_MAX_ROWS ? `${title}（共 ${n} 筆，列出前 ${PDF_MAX_ROWS} 筆；完整清單見 CSV 報告）` : title);

export type Item = Awaited<ReturnType<typeof allItems>>[number];
export type ReportItem = Item & { effect: Effect };
type Run = NonNullable<Awaited<ReturnType<typeof findRun>>>;

export const REPORT_COLUMNS = ['username', 'name', 'unit_oid', 'unit_name', 'state', 'roles', 'admin_grants', 'last_sign_in', 'inactive',
  'recommendation', 'decision', 'role', 'reason', 'decided_by', 'decided_at', 'applied', 'outcome', 'attestation', 'attestation_note', 'attested_at'] as const;

// Taipei has had no daylight saving time since 1979: UTC+8 exactly, the same text as formatTime
// (YYYY-MM-DD HH:MM:SS) without an Intl formatter per cell (a 100k-row report formats 300k times).
const t = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') : '');
const lastSignIn = (i: Item) => [i.last_password_at, i.last_certificate_at, i.last_passkey_at]
  .filter((x): x is Date => x !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;

export function reportCsv(items: ReportItem[]): string {
  return toCsv(items.map((i) => {
    const last = lastSignIn(i);
    return {
      username: i.username, name: i.name, unit_oid: i.unit_oid, unit_name: i.unit_name ?? '', state: i.state, roles: i.roles.join(' '),
      admin_grants: i.grants.join(' '), last_sign_in: last ? t(last) : 'never', inactive: i.inactive ? 'yes' : 'no', recommendation: i.recommendation,
      decision: i.decision ?? 'none', role: i.decision_role ?? '', reason: i.reason ?? '', decided_by: i.decider_name ?? '', decided_at: t(i.decided_at),
      applied: i.decision ? (i.decision === 'keep' ? 'unchanged' : i.decision) : `default: ${i.effect}`, outcome: i.outcome ?? '',
      attestation: i.attestation ?? '', attestation_note: i.attestation_note ?? '', attested_at: t(i.attested_at),
    };
  }), REPORT_COLUMNS);
}

/** The words of the printed documents: Chinese whatever the reader's language, as on the paper forms. */
const ZH = {
  decision: { keep: '保留', disable: '停用', delete: '刪除', remove_role: '移除角色' } as Record<string, string>,
  recommendation: { keep: '保留', disable: '停用（閒置）' } as Record<string, string>,
  outcome: { disabled: '已停用', deleted: '已刪除', role_removed: '已移除角色', unchanged: '未變更' } as Record<string, string>,
  method: { password: '密碼確認', certificate: '自然人憑證簽章' } as Record<string, string>,
  default: { no_change: '不變更', disable: '停用', recommendation: '依系統建議' } as Record<string, string>,
};

const outcomeZh = (o: string | null) => (o === null ? '' : o.startsWith('failed') ? `未能執行（${o.replace(/^failed: ?/, '')}）` : ZH.outcome[o] ?? o);
const decisionZh = (i: ReportItem, roleName: (c: string) => string) => {
  const d = i.decision ? ZH.decision[i.decision] + (i.decision === 'remove_role' && i.decision_role ? `：${roleName(i.decision_role)}` : '') : `未審查（預設：${i.effect === 'unchanged' ? '不變更' : ZH.decision[i.effect]}）`;
  return i.reason ? `${d}；理由：${i.reason}` : d;
};
export const attestationZh = (i: Pick<Item, 'attestation' | 'attestation_note' | 'attested_at'>) =>
  i.attestation === 'confirmed' ? `已確認 ${t(i.attested_at)}` : i.attestation === 'reported' ? `回報有誤：${i.attestation_note ?? ''}（${t(i.attested_at)}）` : '未回覆';

export interface Signed { name: string; at: Date; method: string; decisionsSha256: string }

function header(run: Run, items: ReportItem[], s: Signed, csvSha256: string): [string, string][] {
  const attested = items.filter((i) => i.attestation !== null).length;
  const h: [string, string][] = [
    ['清查名稱', run.name], ['清查範圍', `${run.scope_name ?? ''} ${run.scope_oid}`.trim()],
    ['開始時間', t(run.started_at)], ['審查期限', t(run.deadline_at)],
    ['帳號數', String(items.length)], ['未審查預設', ZH.default[run.default_action] ?? run.default_action],
    ['確認簽名', `${s.name}（${ZH.method[s.method] ?? s.method}）`], ['簽名時間', t(s.at)],
  ];
  if (run.attestation) h.push(['本人確認', `${attested} / ${items.length} 人已回覆`]);
  h.push(['決定摘要 SHA-256', s.decisionsSha256], ['CSV 報告 SHA-256', csvSha256]);
  return h;
}

/** 帳號清查報告: every item with its snapshot, recommendation, decision and outcome. */
export function reportDocument(run: Run, items: ReportItem[], s: Signed, roleName: (c: string) => string, csvSha256: string): ReviewDocument {
  const columns = [
    { label: '帳號／姓名', share: 16 }, { label: '單位', share: 16 }, { label: '角色', share: 14 }, { label: '最近登入', share: 12 },
    { label: '建議', share: 8 }, { label: '決定', share: 18 }, { label: '執行結果', share: 10 },
  ];
  if (run.attestation) columns.splice(6, 0, { label: '本人確認', share: 12 });
  return {
    title: `帳號清查報告：${run.name}`, number: `帳號清查 #${run.id}`, header: header(run, items, s, csvSha256),
    sections: [{
      heading: sectionHeading('清查明細', items.length), columns,
      rows: items.slice(0, PDF_MAX_ROWS).map((i) => {
        const last = lastSignIn(i);
        const row = [`${i.username}\n${i.name}`, i.unit_name ?? i.unit_oid, i.roles.map(roleName).join('、'), last ? t(last) : '從未使用',
          ZH.recommendation[i.recommendation], decisionZh(i, roleName), outcomeZh(i.outcome)];
        if (run.attestation) row.splice(6, 0, attestationZh(i));
        return row;
      }),
    }],
    signatures: [`清查人確認簽名：${s.name}\n${t(s.at)}（${ZH.method[s.method] ?? s.method}）`, '單位主管'],
  };
}

/** D-06-20 商工 e 網通業務帳號清查單: each holder, their unit and roles, their own confirmation and the review's result. */
export function formDocument(run: Run, items: ReportItem[], s: Signed, roleName: (c: string) => string, csvSha256: string): ReviewDocument {
  return {
    title: 'D-06-20 商工 e 網通業務帳號清查單', number: `D-06-20 帳號清查 #${run.id}`, header: header(run, items, s, csvSha256),
    sections: [{
      heading: sectionHeading('帳號使用者確認', items.length),
      columns: [{ label: '帳號／姓名', share: 18 }, { label: '單位', share: 18 }, { label: '角色', share: 18 }, { label: '本人確認', share: 26 }, { label: '清查結果', share: 20 }],
      rows: items.slice(0, PDF_MAX_ROWS).map((i) => [`${i.username}\n${i.name}`, i.unit_name ?? i.unit_oid, i.roles.map(roleName).join('、'),
        run.attestation ? attestationZh(i) : '（本次未請使用者確認）', `${decisionZh(i, roleName)}\n${outcomeZh(i.outcome)}`]),
    }],
    signatures: [`業務帳號註冊管理者確認簽名：${s.name}\n${t(s.at)}（${ZH.method[s.method] ?? s.method}）`, '單位主管'],
  };
}

export async function renderReports(run: Run, items: ReportItem[], s: Signed, roleName: (c: string) => string) {
  const csv = reportCsv(items);
  const csvSha256 = crypto.createHash('sha256').update(csv, 'utf8').digest('hex');
  const [report, form] = await Promise.all([
    renderReviewPdf(reportDocument(run, items, s, roleName, csvSha256), s.at),
    renderReviewPdf(formDocument(run, items, s, roleName, csvSha256), s.at),
  ]);
  return { csv, report, form };
}
