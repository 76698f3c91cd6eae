// Mail and SMS delivery for the web process (OPS-3): the outbox worker, stopped with the app, and
// the development outbox page where messages wait when no SMTP server or SMS gateway is configured.
// /dev/outbox shows both channels; ?channel=mail or ?channel=sms shows one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from './deps.ts';
import type { OutboxTable } from '../db/types.ts';
import type { Selectable } from 'kysely';
import { page } from './http/pages.ts';
import { Layout, Notice, type PageContext } from './web/layout.tsx';
import { formatTime } from './web/format.ts';
import { splitLinks } from './mail-render.ts';
import { startOutboxWorker, type Senders } from './outbox.ts';
import { recentOutbox } from './outbox-store.ts';
import { typed, Field, Query, PAGE } from './http/contract.ts';

const PAGE_SIZE = 50;
type Row = Selectable<OutboxTable>;

function status(ctx: PageContext, r: Row): string {
  if (r.sent_at) return ctx.t('outbox.sent', { at: formatTime(r.sent_at, ctx.lang) });
  if (!r.next_attempt_at) return ctx.t('outbox.gaveUp', { n: r.attempts });
  return ctx.t('outbox.waiting', { n: r.attempts });
}

type ChannelFilter = 'mail' | 'sms' | undefined;

function ChannelLinks({ ctx, channel }: { ctx: PageContext; channel: ChannelFilter }) {
  const { t } = ctx;
  const link = (c: ChannelFilter, label: string) => (
    <li><a href={c ? `/dev/outbox?channel=${c}` : '/dev/outbox'} aria-current={c === channel ? 'page' : undefined}>{label}</a></li>
  );
  return (
    <nav aria-label={t('outbox.channels')}>
      <ul class="nav">{link(undefined, t('outbox.channel.all'))}{link('mail', t('outbox.channel.mail'))}{link('sms', t('outbox.channel.sms'))}</ul>
    </nav>
  );
}

function OutboxPage({ ctx, rows, smtp, sms, channel }: { ctx: PageContext; rows: Row[]; smtp: boolean; sms: boolean; channel: ChannelFilter }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('outbox.title')}>
      <Notice kind="info">
        <p>{t(smtp ? 'outbox.smtp' : 'outbox.noSmtp')}</p>
        <p>{t(sms ? 'outbox.smsGateway' : 'outbox.noSmsGateway')}</p>
      </Notice>
      <ChannelLinks ctx={ctx} channel={channel} />
      {rows.length === 0 && <p>{t('outbox.none')}</p>}
      {rows.map((r) => (
        <article class="mail" aria-labelledby={`mail-${r.id}`} data-channel={r.channel}>
          <h2 id={`mail-${r.id}`}>{r.channel === 'sms' ? t('outbox.smsHeading', { to: r.recipient }) : r.subject}</h2>
          <dl>
            <dt>{t('outbox.channel')}</dt><dd>{t(r.channel === 'sms' ? 'outbox.channel.sms' : 'outbox.channel.mail')}</dd>
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

/** `mayRead` ends the request unless its user may read the outbox (the composition root asks access). */
export function outboxRoutes(fastify: FastifyInstance, deps: Deps, mayRead: (req: FastifyRequest) => Promise<unknown>, senders: Senders = {}): void {
  const app = typed(fastify);
  const worker = startOutboxWorker(deps, senders);
  app.addHook('onClose', () => worker.stop());

  // Mail and SMS bodies hold one-time codes and personal data: never served by a production instance.
  if (deps.config.production) return;
  // Any other channel shows both, as the link "all" does.
  app.get('/dev/outbox', { schema: { querystring: Query({ channel: Field(20) }), response: PAGE } }, async (req, reply) => {
    await mayRead(req);
    const channel: ChannelFilter = req.query.channel === 'mail' || req.query.channel === 'sms' ? req.query.channel : undefined;
    const rows = await recentOutbox(deps.db, channel, PAGE_SIZE);
    return page(req, reply, (ctx) => <OutboxPage ctx={ctx} rows={rows} smtp={Boolean(deps.config.smtpUrl)} sms={Boolean(deps.config.sms)} channel={channel} />);
  });
}
