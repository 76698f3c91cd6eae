// 系統帳號權限申請 (REQ-2, seed 000 step 6): per system and permission, 權限狀態 (尚未申請 / 審核中 /
// 審核通過 / 駁回) and 申請異動 (申請權限 / 申請刪除權限), with how many administrators can review it.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { PermissionRow } from '../queries.ts';

export interface PermissionsView { rows: (PermissionRow & { approvers: number })[]; error?: MessageKey; notice?: { key: MessageKey; vars?: Record<string, string> } }

export function PermissionsPage({ ctx, v }: { ctx: PageContext; v: PermissionsView }) {
  const { t } = ctx;
  const en = ctx.lang === 'en';
  return (
    <Layout ctx={ctx} title={t('request.perm.title')}>
      {v.notice && <Notice kind="info">{t(v.notice.key, v.notice.vars)}</Notice>}
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      <p>{t('request.perm.intro')}</p>
      <table>
        <caption>{t('request.perm.caption')}</caption>
        <thead><tr>
          <th scope="col">{t('request.perm.col.system')}</th><th scope="col">{t('request.perm.col.permission')}</th>
          <th scope="col">{t('request.perm.col.status')}</th><th scope="col">{t('request.perm.col.change')}</th>
        </tr></thead>
        <tbody>
          {v.rows.map((r) => {
            const role = en ? r.roleEn : r.roleZh;
            return (
              <tr data-role={r.roleCode}>
                <td>{en ? r.systemEn : r.systemZh}</td>
                <th scope="row">{role}</th>
                <td data-testid={`status-${r.roleCode}`}>
                  {t(`request.perm.status.${r.status}`)}
                  {!r.held && r.status !== 'pending' && <span class="hint">{t('request.perm.approvers', { n: r.approvers })}</span>}
                </td>
                <td>
                  {r.status === 'pending' && r.requestId !== null ? <a href={`/requests/${r.requestId}`}>{t('request.perm.view')}</a> : (
                    <form method="post" action="/requests/permissions">
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="role" value={r.roleCode} />
                      <input type="hidden" name="change" value={r.held ? 'remove' : 'add'} />
                      <button type="submit" aria-label={t(r.held ? 'request.perm.removeLabel' : 'request.perm.addLabel', { role })}>
                        {t(r.held ? 'request.perm.remove' : 'request.perm.add')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p><a href="/requests">{t('request.back.mine')}</a></p>
    </Layout>
  );
}
