// 機關各系統管理者列表 (ADM-6): one system's administrators, grouped by agency (jurisdiction).
import { Layout, type PageContext } from '../../../platform/web/layout.tsx';
import type { MessageKey } from '../../../platform/web/messages.ts';
import type { SystemAdmin } from '../admins.ts';

export interface SystemAdminsView { system: { code: string; nameZh: string; nameEn: string; category: string }; admins: SystemAdmin[] }

function byAgency(admins: SystemAdmin[]): [string, SystemAdmin[]][] {
  const groups = new Map<string, SystemAdmin[]>();
  for (const a of admins) groups.set(a.jurisdictionOid, [...(groups.get(a.jurisdictionOid) ?? []), a]);
  return [...groups];
}

const contact = (a: SystemAdmin) => [a.officePhone && (a.officeExt ? `${a.officePhone} #${a.officeExt}` : a.officePhone), a.email].filter(Boolean).join(' · ');

export function SystemAdminsPage({ ctx, v }: { ctx: PageContext; v: SystemAdminsView }) {
  const { t } = ctx;
  const name = ctx.lang === 'en' ? v.system.nameEn : v.system.nameZh;
  return (
    <Layout ctx={ctx} title={t('admin.systems.adminsOf', { system: name })}>
      <p>{t('admin.systems.adminsIntro', { system: name, category: v.system.category })}</p>
      <p>{t('admin.systems.count', { n: v.admins.length })}</p>
      {v.admins.length === 0 ? <p>{t('admin.systems.noAdmins')}</p> : byAgency(v.admins).map(([oid, rows]) => (
        <table data-agency={oid}>
          <caption><span class="oid">{oid}</span> {rows[0].agencyName ?? ''}</caption>
          <thead><tr>
            <th scope="col">{t('admin.col.name')}</th><th scope="col">{t('admin.systems.kind')}</th>
            <th scope="col">{t('profile.field.title')}</th><th scope="col">{t('profile.field.department')}</th><th scope="col">{t('admin.systems.contact')}</th>
          </tr></thead>
          <tbody>
            {rows.map((a) => (
              <tr>
                <th scope="row">{a.name}</th><td>{t(`admin.kind.${a.kind}` as MessageKey)}</td>
                <td>{a.title ?? ''}</td><td>{a.department ?? ''}</td><td>{contact(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <p><a href="/admin/systems">{t('admin.systems')}</a></p>
    </Layout>
  );
}
