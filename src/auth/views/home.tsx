import { Layout, type PageContext } from '../../platform/web/layout.tsx';
import type { ActiveSession } from '../sessions.ts';
import { formatTime } from '../../platform/web/format.ts';

export function HomePage({ ctx, s, info }: { ctx: PageContext; s: ActiveSession; info?: string }) {
  const { t } = ctx;
  const when = (d: Date | null) => (d ? formatTime(d, ctx.lang) : t('home.never'));
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      {info && <p role="status">{info}</p>}
      <p>{t('home.welcome', { name: s.name })}</p>
      <dl>
        <dt>{t('home.username')}</dt><dd>{s.username}</dd>
        <dt>{t('home.unit')}</dt><dd class="oid">{s.unitOid}</dd>
        <dt>{t('home.state')}</dt><dd>{t(`state.${s.state}` as 'state.enabled')}</dd>
        <dt>{t('home.lastPasswordLogin')}</dt><dd data-testid="last-password-login">{when(s.previousLoginAt)}</dd>
        <dt>{t('home.lastCertificateLogin')}</dt><dd data-testid="last-certificate-login">{when(s.lastCertificateLoginAt)}</dd>
      </dl>
    </Layout>
  );
}
