import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { Account } from '../../db/types.ts';

export interface ProfileView { account: Account; maskedNationalId: string | null; unitName: string | null }

/** Read-only view of one's own real-name profile; the national ID only ever appears masked (ACC-1). */
export function ProfilePage({ ctx, v }: { ctx: PageContext; v: ProfileView }) {
  const { t } = ctx;
  const a = v.account;
  const row = (label: string, value: string | null | undefined, testId?: string) => (
    <><dt>{label}</dt><dd data-testid={testId}>{value || '—'}</dd></>
  );
  return (
    <Layout ctx={ctx} title={t('profile.title')}>
      <dl>
        {row(t('home.username'), a.username)}
        {row(t('profile.field.name'), a.name)}
        {row(t('profile.field.nationalId'), v.maskedNationalId, 'national-id')}
        {row(t('profile.field.birthday'), a.birth_month ? `${a.birth_month}/${a.birth_day}` : null)}
        {row(t('profile.field.unit'), v.unitName ? `${v.unitName}（${a.unit_oid}）` : a.unit_oid)}
        {row(t('profile.field.title'), a.title)}
        {row(t('profile.field.department'), a.department)}
        {row(t('profile.field.email'), a.email)}
        {row(t('profile.field.mobile'), a.mobile)}
        {row(t('profile.field.officePhone'), a.office_phone ? `${a.office_phone}${a.office_ext ? ` #${a.office_ext}` : ''}` : null)}
        {row(t('home.state'), t(`state.${a.state}` as 'state.enabled'))}
      </dl>
    </Layout>
  );
}
