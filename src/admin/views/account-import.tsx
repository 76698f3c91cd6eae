// 公務員批次匯入／匯出 (issue 3): the CSV is pasted (no multipart plugin), checked by a dry run
// or imported; every refusal names its line. Works without JavaScript.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { csvErrorText, ACCOUNT_CSV_COLUMNS, type AccountImportResult } from '../account-csv.ts';

export interface ImportView { csv: string; result?: AccountImportResult; created?: number; canView: boolean }

export function ImportAccountsPage({ ctx, v }: { ctx: PageContext; v: ImportView }) {
  const { t } = ctx;
  const r = v.result;
  return (
    <Layout ctx={ctx} title={t('admin.accounts.import')}>
      {v.created !== undefined && <Notice kind="info">{t('admin.csv.created', { n: v.created })}</Notice>}
      {r && r.errors.length > 0 && (
        <div class="notice error" role="alert" id="csv-errors">
          <p>{t('admin.csv.errors', { n: r.errors.length })}</p>
          <ul>{r.errors.map((e) => <li data-line={e.line}>{csvErrorText(t, e)}</li>)}</ul>
        </div>
      )}
      {r && r.warnings.length > 0 && (
        <div class="notice warning" role="status" id="csv-warnings">
          <p>{t('admin.csv.warnings', { n: r.warnings.length })}</p>
          <ul>{r.warnings.map((w) => <li data-line={w.line}>{csvErrorText(t, w)}</li>)}</ul>
        </div>
      )}
      {r && r.errors.length === 0 && r.dryRun && (
        <div class="notice info" role="status">
          <p>{t('admin.csv.wouldCreate', { n: r.created.length })}</p>
          <ul>{r.created.map((c) => <li data-line={c.line}>{t('admin.csv.line', { line: c.line, message: `${c.username} (${c.unitOid}) ${t(`admin.scheme.${c.scheme}`)}` })}</li>)}</ul>
        </div>
      )}
      <form method="post" action="/admin/accounts/import" class="stack">
        <CsrfField ctx={ctx} />
        <p class="hint" id="csv-hint">{t('admin.csv.intro', { columns: Object.keys(ACCOUNT_CSV_COLUMNS).join(',') })}</p>
        <label for="csv">{t('admin.csv.field')}</label>
        <textarea id="csv" name="csv" rows={12} cols={100} aria-describedby={r && r.errors.length ? 'csv-hint csv-errors' : 'csv-hint'} spellcheck={false}>{v.csv}</textarea>
        <div>
          <button type="submit" name="dryRun" value="1">{t('admin.csv.dryRun')}</button>{' '}
          <button type="submit" name="dryRun" value="0">{t('admin.csv.import')}</button>
        </div>
      </form>
      {v.canView && <p><a href="/admin/accounts/export.csv" download>{t('admin.csv.export')}</a></p>}
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}
