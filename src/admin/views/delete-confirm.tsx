// The confirmation step of 刪除 (ADM-5, seed 003 section 十): what will be deleted, that it cannot
// be undone, and a second, explicit button. Nothing is deleted until that button is pressed.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';

export interface DeleteRow { id: number; username: string; name: string; unit_oid: string }

export function DeleteConfirmPage({ ctx, rows }: { ctx: PageContext; rows: DeleteRow[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.delete.title')}>
      <Notice kind="error">{t('admin.delete.warning')}</Notice>
      <form method="post" action="/admin/accounts/delete">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="1" />
        <table>
          <caption>{t('admin.search.total', { n: rows.length })}</caption>
          <thead><tr><th scope="col">{t('admin.col.name')}</th><th scope="col">{t('admin.username')}</th><th scope="col">{t('admin.col.unit')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.name}<input type="hidden" name="ids" value={String(r.id)} /></th>
                <td>{r.username}</td><td class="oid">{r.unit_oid}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit" class="danger">{t('admin.delete.confirm')}</button>
        {' '}<a href="/admin/accounts">{t('admin.delete.cancel')}</a>
      </form>
    </Layout>
  );
}
