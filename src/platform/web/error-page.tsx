import { Layout, type PageContext } from './layout.tsx';
import type { MessageKey } from './messages.ts';

export function ErrorPage({ ctx, messageKey }: { ctx: PageContext; messageKey: MessageKey }) {
  return (
    <Layout ctx={ctx} title={ctx.t('error.title')}>
      <p role="alert">{ctx.t(messageKey)}</p>
      <p><a href="/">{ctx.t('error.back')}</a></p>
    </Layout>
  );
}
