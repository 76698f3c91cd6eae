// 角色設定 (ADM-5, seed 003 section 八): the role list as check-boxes, limited to the
// application-system categories the administrator's grant covers (可設定的應用系統類別).
import { Layout, CsrfField, type PageContext } from '../../platform/web/layout.tsx';
import type { RoleChoice, RoleName } from '../role-assignment.ts';
import { Done } from './fields.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';

export interface RolesView {
  accountId: number; name: string; unitOid: string; grantable: RoleChoice[]; otherHeld: RoleName[];
  done?: MessageKey; doneVars?: Record<string, string | number>;
}

/** Roles as people read them: 系統－角色, listed (issue 9 item 18). */
export const roleNamesText = (ctx: PageContext, roles: RoleName[]): string => (ctx.lang === 'en'
  ? roles.map((r) => `${r.systemEn} — ${r.nameEn}`).join('; ')
  : roles.map((r) => `${r.systemZh}－${r.nameZh}`).join('；'));

export function RolesPage({ ctx, v }: { ctx: PageContext; v: RolesView }) {
  const { t } = ctx;
  const en = ctx.lang === 'en';
  const categories = [...new Set(v.grantable.map((r) => r.category))].join(', ') || '—';
  return (
    <Layout ctx={ctx} title={t('admin.roles.title')}>
      <Done ctx={ctx} k={v.done} vars={v.doneVars} />
      <p>{t('admin.roles.for', { name: v.name, unit: v.unitOid })}</p>
      {v.grantable.length === 0 ? <p>{t('admin.roles.none')}</p> : (
        <form method="post" action={`/admin/accounts/${v.accountId}/roles`}>
          <CsrfField ctx={ctx} />
          <p class="hint">{t('admin.roles.note', { categories })}</p>
          <table>
            <caption>{t('admin.roles.list')}</caption>
            <thead><tr>
              <th scope="col">{t('admin.col.no')}</th><th scope="col">{t('admin.roles.system')}</th><th scope="col">{t('admin.roles.role')}</th>
              <th scope="col">{t('admin.roles.code')}</th><th scope="col">{t('admin.roles.choose')}</th>
            </tr></thead>
            <tbody>
              {v.grantable.map((r, i) => (
                <tr>
                  <td>{i + 1}</td><td>{en ? r.systemEn : r.systemZh}</td>
                  <th scope="row"><label for={`role-${r.code}`}>{en ? r.nameEn : r.nameZh}</label></th>
                  <td><code>{r.code}</code></td>
                  <td><input type="checkbox" id={`role-${r.code}`} name="roles" value={r.code} checked={r.held} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">{t('admin.save')}</button>
        </form>
      )}
      {v.otherHeld.length > 0 && <p>{t('admin.roles.other')} {roleNamesText(ctx, v.otherHeld)}</p>}
      <p><a href={`/admin/accounts/${v.accountId}`}>{t('admin.edit.title')}</a></p>
    </Layout>
  );
}
