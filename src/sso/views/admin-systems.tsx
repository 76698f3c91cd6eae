// 單一簽入管理 (SSO-2, SSO-3): the systems whose client the caller may manage, each with its
// status and links to its client settings and its consent report.
import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { ClientSystem } from '../admin-clients.ts';

export const systemName = (ctx: PageContext, s: { nameZh: string; nameEn: string }) => (ctx.lang === 'en' ? s.nameEn : s.nameZh);

export function SsoSystemsPage({ ctx, systems }: { ctx: PageContext; systems: ClientSystem[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.admin.title')}>
      <p>{t('sso.admin.intro')}</p>
      <table>
        <thead><tr>
          <th scope="col">{t('sso.admin.col.system')}</th><th scope="col">{t('sso.admin.col.code')}</th>
          <th scope="col">{t('sso.admin.col.category')}</th><th scope="col">{t('sso.admin.col.status')}</th>
          <th scope="col">{t('sso.admin.col.actions')}</th>
        </tr></thead>
        <tbody>
          {systems.map((s) => {
            const name = systemName(ctx, s);
            return (
              <tr data-system={s.code}>
                <th scope="row">{name}</th>
                <td><code>{s.code}</code></td>
                <td><code>{s.category}</code></td>
                <td>{t(!s.configured ? 'sso.admin.status.notConfigured' : s.client.enabled ? 'sso.admin.status.enabled' : 'sso.admin.status.disabled')}</td>
                <td>
                  <a href={`/admin/sso/${encodeURIComponent(s.code)}`} aria-label={t('sso.admin.editOne', { name })}>{t('sso.admin.edit')}</a>
                  {' '}<a href={`/admin/sso/${encodeURIComponent(s.code)}/consents`} aria-label={t('sso.admin.consentsOne', { name })}>{t('sso.admin.consents')}</a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

