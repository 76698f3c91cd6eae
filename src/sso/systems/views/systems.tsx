// The application systems (SSO-1) with their owning organisations and a link to each one's
// administrators per agency (ADM-6); the central authority may change an owner from here.
import { Layout, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import type { SystemView } from '../registry.ts';
import { OwnerName } from './owner.tsx';

export function SystemsPage({ ctx, systems, canManage, saved }: { ctx: PageContext; systems: SystemView[]; canManage: boolean; saved?: SystemView }) {
  const { t } = ctx;
  const en = ctx.lang === 'en';
  return (
    <Layout ctx={ctx} title={t('admin.systems')}>
      {saved && <Notice kind="info">{t('admin.systems.owner.saved', { system: en ? saved.nameEn : saved.nameZh })}</Notice>}
      <p>{t('admin.systems.intro')}</p>
      <table>
        <thead><tr>
          <th scope="col">{t('admin.systems.code')}</th><th scope="col">{t('admin.systems.name')}</th>
          <th scope="col">{t('admin.systems.category')}</th><th scope="col">{t('admin.systems.owner')}</th><th scope="col">{t('admin.systems.roles')}</th>
          <th scope="col">{t('admin.systems.admins')}</th><th scope="col">{t('admin.systems.applyScope')}</th><th scope="col">{t('scim.page.link')}</th>
        </tr></thead>
        <tbody>
          {systems.map((s) => (
            <tr>
              <td><code>{s.code}</code></td>
              <th scope="row">{en ? s.nameEn : s.nameZh}{s.flags.certificateRequired === true && <><br /><span class="hint">{t('admin.systems.cert')}</span></>}</th>
              <td><code>{s.category}</code></td>
              <td data-owner={s.ownerOid}>
                <OwnerName ctx={ctx} s={s} />
                {canManage && <><br /><a href={`/admin/systems/${encodeURIComponent(s.code)}/owner`} aria-label={`${t('admin.systems.owner.change')}：${en ? s.nameEn : s.nameZh}`}>{t('admin.systems.owner.change')}</a></>}
              </td>
              <td><code>{s.roles.map((r) => r.code).join(', ')}</code></td>
              <td><a href={`/admin/systems/${encodeURIComponent(s.code)}/admins`} aria-label={`${t('admin.systems.admins')}：${en ? s.nameEn : s.nameZh}`}>{t('admin.systems.admins')}</a></td>
              <td><a href={`/admin/systems/${encodeURIComponent(s.code)}/apply-scope`} aria-label={`${t('admin.systems.applyScope')}：${en ? s.nameEn : s.nameZh}`}>{t('admin.systems.applyScope')}</a></td>
              <td><a href={`/admin/systems/${encodeURIComponent(s.code)}/scim-tokens`} aria-label={`${t('scim.page.link')}：${en ? s.nameEn : s.nameZh}`}>{t('scim.page.link')}</a></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}
