// 稽核紀錄 as people read it (GOV-1, issue 9 item 18): actions, outcomes and targets by name, the
// actor and target account by username and name, details as labelled fields; filtered by
// username and by a select of action names. The CSV export keeps the raw codes for machines.
import { Layout, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { formatTime } from '../platform/web/format.ts';
import { AUDIT_ACTIONS, AUDIT_AREAS, areaOf, isAuditAction } from '../platform/audit-actions.ts';
import { requestNumber } from '../requests/format.ts';
import { auditMessages } from './messages.ts';
import type { AuditRow } from './audit-queries.ts';

type Query = Record<string, string | undefined>;
const KNOWN = new Set(Object.keys(auditMessages.zh));
const has = (key: string): key is MessageKey => KNOWN.has(key);

const person = (ctx: PageContext, name: string | null, username: string | null) =>
  (username ? (ctx.lang === 'en' ? `${name} (${username})` : `${name}（${username}）`) : null);

/** A detail value as text: yes/no, named values, lists, nested fields; plain data as it is. */
function valueText(ctx: PageContext, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return ctx.t(v ? 'audit.value.true' : 'audit.value.false');
  if (key === 'requestId' && (typeof v === 'number' || typeof v === 'string')) return requestNumber(Number(v));
  if (key === 'requestType' && typeof v === 'string' && has(`request.type.${v}`)) return ctx.t(`request.type.${v}` as MessageKey);
  if (Array.isArray(v)) return v.map((x) => valueText(ctx, key, x)).join(ctx.lang === 'en' ? ', ' : '、');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${keyText(ctx, k)}${ctx.lang === 'en' ? ': ' : '：'}${valueText(ctx, k, x)}`)
      .join(ctx.lang === 'en' ? '; ' : '；');
  }
  const s = String(v);
  return has(`audit.value.${s}`) ? ctx.t(`audit.value.${s}` as MessageKey) : s;
}
const keyText = (ctx: PageContext, k: string) => (has(`audit.detail.${k}`) ? ctx.t(`audit.detail.${k}` as MessageKey) : k);

function Details({ ctx, details }: { ctx: PageContext; details: Record<string, unknown> }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <>—</>;
  return <dl class="audit-details">{entries.map(([k, v]) => <><dt>{keyText(ctx, k)}</dt><dd>{valueText(ctx, k, v)}</dd></>)}</dl>;
}

function targetText(ctx: PageContext, r: AuditRow): string {
  if (!r.target_type) return '—';
  const type = has(`audit.targetType.${r.target_type}`) ? ctx.t(`audit.targetType.${r.target_type}` as MessageKey) : r.target_type;
  const name = r.target_type === 'account' ? person(ctx, r.targetName, r.targetUsername)
    : r.target_type === 'org' ? r.targetOrgName
    : r.target_type === 'application_system' ? (ctx.lang === 'en' ? r.systemEn : r.systemZh)
    : r.target_type === 'request' && r.target_id ? requestNumber(Number(r.target_id))
    : r.target_type === 'announcement' && typeof r.details?.title === 'string' ? r.details.title
    : null;
  return name ? `${type}：${name}` : type;
}

const actionText = (ctx: PageContext, action: string) => (isAuditAction(action) ? ctx.t(`audit.action.${action}`) : action);

function ActionSelect({ ctx, value }: { ctx: PageContext; value?: string }) {
  const { t } = ctx;
  return (
    <select id="f-action" name="action">
      <option value="">{t('audit.any')}</option>
      {AUDIT_AREAS.map((area) => (
        <optgroup label={t(`audit.area.${area}`)}>
          {AUDIT_ACTIONS.filter((a) => areaOf(a) === area).map((a) => <option value={a} selected={value === a}>{t(`audit.action.${a}`)}</option>)}
        </optgroup>
      ))}
    </select>
  );
}

export function AuditPage({ ctx, q, rows, nextBefore }: { ctx: PageContext; q: Query; rows: AuditRow[]; nextBefore?: number }) {
  const { t } = ctx;
  const field = (name: string, label: string, type: 'text' | 'date' = 'text', hint?: string) => (
    <div><label for={`f-${name}`}>{label}</label>
      {hint && <span id={`f-${name}-hint`} class="hint">{hint}</span>}
      {type === 'date' ? <input id={`f-${name}`} name={name} type="date" value={q[name] ?? ''} />
        : <input id={`f-${name}`} name={name} type="text" value={q[name] ?? ''} aria-describedby={hint ? `f-${name}-hint` : undefined} />}</div>
  );
  const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => v && k !== 'before') as [string, string][]);
  return (
    <Layout ctx={ctx} title={t('audit.title')}>
      <form method="get" action="/admin/audit" class="stack" aria-labelledby="filter-h">
        <h2 id="filter-h">{t('audit.filter')}</h2>
        <div><label for="f-action">{t('audit.action')}</label><ActionSelect ctx={ctx} value={q.action} /></div>
        <div>
          <label for="f-result">{t('audit.result')}</label>
          <select id="f-result" name="result">
            {(['', 'ok', 'failed', 'denied'] as const).map((r) => <option value={r} selected={q.result === r}>{r ? t(`audit.result.${r}`) : t('audit.any')}</option>)}
          </select>
        </div>
        {field('actor', t('audit.actorUsername'), 'text', t('audit.usernameHint'))}
        {field('target', t('audit.targetUsername'))}
        {field('org', t('audit.org'))}
        {field('from', t('audit.from'), 'date')}
        {field('to', t('audit.to'), 'date')}
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <p><a href={`/admin/audit/export.csv?${params}`}>{t('audit.export')}</a> · <a href="/admin/audit/checkpoints">{t('audit.checkpoints.link')}</a></p>
      {rows.length === 0 ? <p>{t('audit.none')}</p> : (
        <table>
          <caption>{t('audit.count', { n: rows.length })}</caption>
          <thead><tr>
            <th scope="col">{t('audit.seq')}</th><th scope="col">{t('audit.at')}</th><th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.result')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.org')}</th><th scope="col">{t('audit.ip')}</th><th scope="col">{t('audit.details')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr data-seq={String(r.seq)}>
                <td>{r.seq}</td><td>{formatTime(r.at, ctx.lang)}</td><td data-col="action">{actionText(ctx, r.action)}</td>
                <td data-col="result">{has(`audit.result.${r.result}`) ? t(`audit.result.${r.result}` as MessageKey) : r.result}</td>
                <td data-col="actor">{person(ctx, r.actorName, r.actorUsername) ?? t('audit.nobody')}</td>
                <td data-col="target">{targetText(ctx, r)}</td>
                <td>{r.org_oid ? <>{r.orgName ?? ''} <span class="oid">{r.org_oid}</span></> : '—'}</td><td>{r.ip ?? '—'}</td>
                <td data-col="details"><Details ctx={ctx} details={r.details as Record<string, unknown>} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore !== undefined && <p><a href={`/admin/audit?${params}${params.size ? '&' : ''}before=${nextBefore}`}>{t('audit.next')}</a></p>}
    </Layout>
  );
}
