// After 送出申請 (seed 000 step 8): the account waits for approval; the result comes by e-mail.
import { Layout, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import { ApplySteps } from './shared.tsx';

export function DonePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apply.done.title')}>
      <ApplySteps ctx={ctx} current={6} />
      <Notice kind="info">{t('apply.done.text')}</Notice>
      <p>{t('apply.done.next')}</p>
      <p><a href="/login">{t('nav.login')}</a></p>
    </Layout>
  );
}
