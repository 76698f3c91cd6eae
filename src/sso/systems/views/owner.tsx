// 變更擁有機關 (SSO-1, issue 9 item 1): the central authority names the organisation that owns an
// application system, and with it who may manage the system's client and announcements.
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import type { MessageKey } from '../../../platform/web/messages.ts';
import type { SystemView } from '../registry.ts';
import { NATIONAL_ROOT } from '../owner.ts';
import { Field } from '../../../admin/views/fields.tsx';

/** The owner as people read it: the organisation's name, or "platform-wide" for the national root; the OID beside it. */
export function OwnerName({ ctx, s }: { ctx: PageContext; s: Pick<SystemView, 'ownerOid' | 'ownerName'> }) {
  return <>{s.ownerName ?? ctx.t(s.ownerOid === NATIONAL_ROOT ? 'admin.systems.owner.national' : 'admin.systems.owner.unknown')} <span class="oid">{s.ownerOid}</span></>;
}

export interface SystemOwnerView { system: SystemView; value: string; error?: MessageKey }

export function SystemOwnerPage({ ctx, v }: { ctx: PageContext; v: SystemOwnerView }) {
  const { t } = ctx;
  const s = v.system;
  const name = ctx.lang === 'en' ? s.nameEn : s.nameZh;
  return (
    <Layout ctx={ctx} title={t('admin.systems.owner.changeOne', { system: name })}>
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      <p>{t('admin.systems.owner.intro', { category: s.category, root: NATIONAL_ROOT })}</p>
      <p>{t('admin.systems.owner.current')}：<strong data-owner={s.ownerOid}><OwnerName ctx={ctx} s={s} /></strong></p>
      <form method="post" action={`/admin/systems/${encodeURIComponent(s.code)}/owner`}>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="ownerOid" label={t('admin.systems.owner.oid')} value={v.value} required
          hint={t('admin.systems.owner.hint', { root: NATIONAL_ROOT })} error={v.error && t(v.error)} inputMode="decimal" />
        <p><a href="/orgs/lookup">{t('admin.systems.owner.lookup')}</a></p>
        <button type="submit">{t('admin.systems.owner.save')}</button>
      </form>
      <p><a href="/admin/systems">{t('admin.systems')}</a></p>
    </Layout>
  );
}
