// Mail delivery for the web process (OPS-3): the outbox worker, stopped with the app, and the
// development outbox page where mail waits when no SMTP server is configured.
import type { FastifyInstance } from 'fastify';
import type { Deps } from './deps.ts';
import type { OutboxTable } from '../db/types.ts';
import type { Selectable } from 'kysely';
import { page, requirePermission } from './http/pages.ts';
import { Layout, Notice, type PageContext } from './web/layout.tsx';
import { formatTime } from './web/format.ts';
import { splitLinks } from './mail-templates.ts';
import { startOutboxWorker } from './outbox.ts';

const PAGE_SIZE = 50;
type Row = Selectable<OutboxTable>;

function status(ctx: PageContext, r: Row): string {
  if (r.sent_at) return ctx.t('outbox.sent', { at: formatTime(r.sent_at, ctx.lang) });
  if (!r.next_attempt_at) return ctx.t('outbox.gaveUp', { n: r.attempts });
  return ctx.t('outbox.waiting', { n: r.attempts });
}

function OutboxPage({ ctx, rows, smtp }: { ctx: PageContext; rows: Row[]; smtp: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('outbox.title')}>
      <Notice kind="info">{t(smtp ? 'outbox.smtp' : 'outbox.noSmtp')}</Notice>
      {rows.length === 0 && <p>{t('outbox.none')}</p>}
      {rows.map((r) => (
        <article class="mail" aria-labelledby={`mail-${r.id}`}>
          <h2 id={`mail-${r.id}`}>{r.subject}</h2>
          <dl>
            <dt>{t('outbox.to')}</dt><dd data-testid="mail-to">{r.recipient}</dd>
            <dt>{t('outbox.created')}</dt><dd>{formatTime(r.created_at, ctx.lang)}</dd>
            <dt>{t('outbox.status')}</dt><dd>{status(ctx, r)}</dd>
            {r.last_error && <><dt>{t('outbox.lastError')}</dt><dd>{r.last_error}</dd></>}
          </dl>
          <pre class="mail-body" data-testid="mail-body">
            {splitLinks(r.body_text).map((s) => (s.href ? <a href={s.href}>{s.text}</a> : s.text))}
          </pre>
        </article>
      ))}
    </Layout>
  );
}

export function outboxRoutes(app: FastifyInstance, deps: Deps): void {
  const worker = startOutboxWorker(deps);
  app.addHook('onClose', () => worker.stop());

  // Mail bodies hold one-time codes and personal data: never served by a production instance.
  if (deps.config.production) return;
  app.get('/dev/outbox', async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const rows = await deps.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(PAGE_SIZE).execute();
    return page(req, reply, (ctx) => <OutboxPage ctx={ctx} rows={rows} smtp={Boolean(deps.config.smtpUrl)} />);
  });
}
