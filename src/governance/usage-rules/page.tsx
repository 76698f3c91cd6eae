// 帳號使用規則 (seed 002 五(七)): the page a user reads and accepts the rules on (at sign-in when a
// version is owed), and the central authority's page of a node's versions with a form for the next.
import { Layout, Notice, CsrfField, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import { FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { Problems, RulesInput } from './service.ts';

export interface RuleView { oid: string; org_name: string | null; version: number; title: string; body: string; published_at: Date; accepted_at: Date | null }

function RuleText({ ctx, r }: { ctx: PageContext; r: RuleView }) {
  return (
    <article class="usage-rules">
      <h2>{r.title}</h2>
      <p class="hint">{ctx.t('usageRules.from', { org: r.org_name ?? r.oid, version: r.version, at: formatTime(r.published_at, ctx.lang) })}</p>
      {r.body.split(/\n{2,}/).map((para) => <p>{para}</p>)}
      {r.accepted_at && <p>{ctx.t('usageRules.accepted', { at: formatTime(r.accepted_at, ctx.lang) })}</p>}
    </article>
  );
}

export function UsageRulesPage({ ctx, rules, next }: { ctx: PageContext; rules: RuleView[]; next?: string }) {
  const { t } = ctx;
  const owed = rules.some((r) => r.accepted_at === null);
  return (
    <Layout ctx={ctx} title={t('usageRules.title')}>
      {rules.length === 0 && <p>{t('usageRules.none')}</p>}
      {owed && <Notice kind="warning">{t('usageRules.owed')}</Notice>}
      {rules.map((r) => <RuleText ctx={ctx} r={r} />)}
      {owed && (
        <form method="post" action="/account/usage-rules">
          <CsrfField ctx={ctx} />
          {next && <input type="hidden" name="next" value={next} />}
          <button type="submit">{t('usageRules.accept')}</button>
        </form>
      )}
    </Layout>
  );
}

export interface ManageView {
  org: { oid: string; name: string };
  versions: { version: number; title: string; body: string; published_at: Date }[];
  counts: { accounts: number; accepted: number } | null;
  form?: { values: RulesInput; problems: Problems };
  info?: string;
}

export function ManageRulesPage({ ctx, v }: { ctx: PageContext; v: ManageView }) {
  const { t } = ctx;
  const err = (k: keyof RulesInput) => (v.form?.problems[k] ? t(v.form.problems[k] as MessageKey) : undefined);
  const [current, ...older] = v.versions;
  return (
    <Layout ctx={ctx} title={t('usageRules.manage.title', { org: v.org.name })}>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      <p>{t('usageRules.manage.intro')}</p>
      <p><a href={`/orgs/${v.org.oid}`}>{v.org.name}</a></p>
      <section aria-labelledby="current-heading">
        <h2 id="current-heading">{t('usageRules.current')}</h2>
        {!current ? <p>{t('usageRules.noVersions')}</p> : (
          <>
            <p>{t('usageRules.from', { org: v.org.name, version: current.version, at: formatTime(current.published_at, ctx.lang) })}</p>
            {v.counts && <p data-testid="progress">{t('usageRules.progress', v.counts)}</p>}
            <h3>{current.title}</h3>
            {current.body.split(/\n{2,}/).map((para) => <p>{para}</p>)}
          </>
        )}
      </section>
      {older.length > 0 && (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">{t('usageRules.history')}</h2>
          <ul>{older.map((o) => <li>{t('usageRules.from', { org: v.org.name, version: o.version, at: formatTime(o.published_at, ctx.lang) })}：{o.title}</li>)}</ul>
        </section>
      )}
      <section aria-labelledby="publish-heading">
        <h2 id="publish-heading">{t('usageRules.publish')}</h2>
        <form method="post" action={`/orgs/${v.org.oid}/usage-rules`} class="stack">
          <CsrfField ctx={ctx} />
          <FieldShell ctx={ctx} name="title" label={t('usageRules.field.title')} error={err('title')} required>
            <input id="title" name="title" type="text" maxLength={200} value={v.form?.values.title ?? current?.title ?? ''} aria-required="true"
              aria-invalid={err('title') ? 'true' : undefined} aria-describedby={describedBy('title', undefined, err('title'))} />
          </FieldShell>
          <FieldShell ctx={ctx} name="body" label={t('usageRules.field.body')} error={err('body')} required>
            <textarea id="body" name="body" rows={12} cols={80} maxLength={20000} aria-required="true"
              aria-invalid={err('body') ? 'true' : undefined} aria-describedby={describedBy('body', undefined, err('body'))}>{v.form?.values.body ?? current?.body ?? ''}</textarea>
          </FieldShell>
          <button type="submit">{t('usageRules.publish')}</button>
        </form>
      </section>
    </Layout>
  );
}
