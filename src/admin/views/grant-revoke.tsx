// The confirmation step of 撤銷管理授權 (ADM-7): what will be revoked, by name, and a second,
// explicit button. Nothing changes until that button is pressed.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { GrantRow } from '../grant-directory.ts';
import { GrantTable } from './grants.tsx';

export function GrantRevokePage({ ctx, g, labels }: { ctx: PageContext; g: GrantRow; labels: Map<string, string> }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('grant.revoke.title')}>
      <Notice kind="error">{t('grant.revoke.warning')}</Notice>
      <GrantTable ctx={ctx} rows={[{ ...g, canRevoke: false }]} labels={labels} caption={t('grant.revokeOf', { name: g.name, kind: t(`admin.kind.${g.kind}`) })} testId="grant-to-revoke" />
      <form method="post" action={`/admin/grants/${g.id}/revoke`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="danger">{t('grant.revoke.confirm')}</button>
        {' '}<a href="/admin/grants">{t('grant.revoke.cancel')}</a>
      </form>
    </Layout>
  );
}
