// INC-1, INC-2, INC-3, INC-6: the incident pages — list, report form (level criteria as help), the
// incident with every clock as a timer with its exact due time (no script needed), the timeline of
// every event (who, when, which clock met or missed), the review forms, and the contacts registry.
import { Layout, CsrfField, Notice, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { formatTime } from '../platform/web/format.ts';
import { Field, FieldShell } from '../admin/views/fields.tsx';
import type { Clock } from './clocks/index.ts';
import { durationParts } from './rules.ts';
import type { incidentDetail } from './workflow.ts';
import type { ContactsView } from './contacts.ts';
import type { ProblemField } from './errors.ts';
import { ClosureSection, type ClosureForm, type ClosureMay } from './closure-views.tsx';
import { DrillSection, type DrillMay } from './drill-views.tsx';
import { ProfileSection, type ProfileChoice } from './profile-views.tsx';
import { CI_GROUPS, OPTIONAL_PROFILES } from './profile-rules.ts';
import { BUILT_IN_PROFILES } from './clocks/index.ts';
import { INCIDENT_CATEGORIES } from './rules.ts';

type Detail = Awaited<ReturnType<typeof incidentDetail>>;
const when = (d: Date | null | undefined, ctx: PageContext) => (d ? formatTime(d, ctx.lang) : '—');
const levelText = (ctx: PageContext, n: number | null) => (n ? ctx.t('incidents.level.n', { n }) : ctx.t('incidents.level.none'));
const lang = (ctx: PageContext) => (ctx.lang === 'en' ? 'en' : 'zh-TW');
const span = (ctx: PageContext, ms: number) => { const p = durationParts(ms); return ctx.t('incidents.duration', { d: p.days, h: p.hours, m: p.minutes }); };

export interface ListRow { id: number | string; org_name: string; title: string; level: number | null; state: string; drill: boolean; reported_at: Date | null; next_due_at: Date | null }

export function IncidentListPage({ ctx, rows, total, canReport, canPhone }: { ctx: PageContext; rows: ListRow[]; total: number; canReport: boolean; canPhone: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('incidents.list.title')}>
      <p>
        {canReport && <><a href="/incidents/new">{t('incidents.list.new')}</a>{' · '}</>}
        {canPhone && <><a href="/incidents/phone">{t('incidents.list.phone')}</a>{' · '}</>}
        <a href="/incidents/contacts">{t('incidents.list.contacts')}</a>{' · '}
        <a href="/incidents/statistics">{t('incidents.stats.link')}</a>
      </p>
      {rows.length === 0 ? <p>{t('incidents.list.none')}</p> : (
        <table>
          <caption>{t('incidents.list.title')} ({total})</caption>
          <thead><tr>
            <th scope="col">{t('incidents.col.title')}</th><th scope="col">{t('incidents.col.agency')}</th><th scope="col">{t('incidents.col.level')}</th>
            <th scope="col">{t('incidents.col.state')}</th><th scope="col">{t('incidents.col.reported')}</th><th scope="col">{t('incidents.col.nextDue')}</th>
          </tr></thead>
          <tbody>{rows.map((r) => (
            <tr data-incident={String(r.id)}>
              <th scope="row"><a href={`/incidents/${r.id}`}>{r.title}</a>{r.drill && <> ({t('incidents.drill')})</>}</th>
              <td>{r.org_name}</td><td>{levelText(ctx, r.level)}</td><td>{t(`incidents.state.${r.state}` as MessageKey)}</td>
              <td>{when(r.reported_at, ctx)}</td><td>{when(r.next_due_at, ctx)}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </Layout>
  );
}

export interface ReportForm {
  agencyOid: string; title: string; description: string; awareAt: string; level: string; systems: string[]; systemsOther: string;
  supportRequested: boolean; otherAgenciesAffected: boolean; criticalInfrastructure: boolean; contactName: string; contactPhone: string; contactEmail: string; lateReason: string;
  category: string; drill: boolean; drillKind: string; ciGroups: string[]; profiles: string[];
}
export const emptyReport = (agencyOid: string): ReportForm => ({ agencyOid, title: '', description: '', awareAt: '', level: '', systems: [], systemsOther: '', supportRequested: false,
  otherAgenciesAffected: false, criticalInfrastructure: false, contactName: '', contactPhone: '', contactEmail: '', lateReason: '', category: '', drill: false, drillKind: 'notification', ciGroups: [], profiles: [] });

export function ReportFormPage({ ctx, f, agencies, systems, action, errors, message, mode = 'new' }: {
  ctx: PageContext; f: ReportForm; agencies: { oid: string; name: string }[]; systems: { code: string; name: string }[]; action: string;
  errors: Partial<Record<ProblemField, string>>; message?: MessageKey; mode?: 'new' | 'edit' | 'backfill';
}) {
  const { t } = ctx;
  const err = (k: ProblemField) => (errors[k] ? t(`incidents.problem.${errors[k]}` as MessageKey) : undefined);
  const check = (name: keyof ReportForm, label: MessageKey) => (
    <div><input type="checkbox" id={name} name={name} value="1" checked={!!f[name]} /> <label for={name}>{t(label)}</label></div>
  );
  return (
    <Layout ctx={ctx} title={t(mode === 'backfill' ? 'incidents.action.backfill' : mode === 'edit' ? 'incidents.form.editDraft' : 'incidents.title')}>
      {message && <Notice kind="error">{t(message)}</Notice>}
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FieldShell ctx={ctx} name="agencyOid" label={t('incidents.form.agency')}>
          <select id="agencyOid" name="agencyOid">{agencies.map((a) => <option value={a.oid} selected={a.oid === f.agencyOid}>{a.name}</option>)}</select>
        </FieldShell>
        <Field ctx={ctx} name="title" label={t('incidents.form.title')} value={f.title} error={err('title')} required />
        <FieldShell ctx={ctx} name="description" label={t('incidents.form.description')} error={err('description')} required>
          <textarea id="description" name="description" rows={5} maxLength={10000} aria-invalid={errors.description ? 'true' : undefined}
            aria-describedby={errors.description ? 'description-error' : undefined}>{f.description}</textarea>
        </FieldShell>
        <Field ctx={ctx} name="awareAt" label={t('incidents.form.awareAt')} value={f.awareAt} error={err('awareAt')} required maxLength={16} />
        <fieldset>
          <legend>{t('incidents.form.level')}</legend>
          {errors.level && <p class="field-error" id="level-error">{err('level')}</p>}
          {[1, 2, 3, 4].map((n) => (
            <div>
              <input type="radio" id={`level-${n}`} name="level" value={String(n)} checked={f.level === String(n)} aria-describedby={`level-${n}-help`} />
              {' '}<label for={`level-${n}`}>{t('incidents.level.n', { n })}</label>
              <p class="hint" id={`level-${n}-help`}>{t(`incidents.level.help.${n}` as MessageKey)}</p>
            </div>
          ))}
        </fieldset>
        <FieldShell ctx={ctx} name="category" label={t('incidents.category')}>
          <select id="category" name="category">
            <option value="">{t('incidents.category.none')}</option>
            {INCIDENT_CATEGORIES.map((c) => <option value={c} selected={f.category === c}>{t(`incidents.category.${c}`)}</option>)}
          </select>
        </FieldShell>
        <fieldset>
          <legend>{t('incidents.form.systems')}</legend>
          {systems.map((s) => (
            <div><input type="checkbox" id={`sys-${s.code}`} name="systems" value={s.code} checked={f.systems.includes(s.code)} /> <label for={`sys-${s.code}`}>{s.name}</label></div>
          ))}
        </fieldset>
        <FieldShell ctx={ctx} name="systemsOther" label={t('incidents.form.systemsOther')}>
          <textarea id="systemsOther" name="systemsOther" rows={2} maxLength={2000}>{f.systemsOther}</textarea>
        </FieldShell>
        {check('supportRequested', 'incidents.form.support')}
        {check('otherAgenciesAffected', 'incidents.form.otherAgencies')}
        {check('criticalInfrastructure', 'incidents.form.ci')}
        {mode === 'new' && <fieldset>
          <legend>{t('incidents.ci.groups')}</legend>
          {CI_GROUPS.map((g) => <div><input type="checkbox" id={`ci-${g}`} name="ciGroups" value={g} checked={f.ciGroups.includes(g)} /> <label for={`ci-${g}`}>{t(`incidents.ci.${g}`)}</label></div>)}
        </fieldset>}
        {mode === 'new' && <fieldset>
          <legend>{t('incidents.profiles.allowed')}</legend>
          {OPTIONAL_PROFILES.map((p) => <div><input type="checkbox" id={`profile-${p}`} name="profiles" value={p} checked={f.profiles.includes(p)} /> <label for={`profile-${p}`}>{BUILT_IN_PROFILES[p].name[ctx.lang === 'en' ? 'en' : 'zh-TW']}</label></div>)}
        </fieldset>}
        <Field ctx={ctx} name="contactName" label={t('incidents.form.contactName')} value={f.contactName} error={err('contactName')} required maxLength={100} />
        <Field ctx={ctx} name="contactPhone" label={t('incidents.form.contactPhone')} value={f.contactPhone} error={err('contactPhone')} required type="tel" maxLength={50} />
        <Field ctx={ctx} name="contactEmail" label={t('incidents.form.contactEmail')} value={f.contactEmail} error={err('contactEmail')} type="email" />
        <Field ctx={ctx} name="lateReason" label={t('incidents.form.lateReason')} value={f.lateReason} error={err('lateReason')} maxLength={2000} />
        {mode === 'new' && <fieldset>
          <legend>{t('incidents.drill')}</legend>
          <div><input type="checkbox" id="drill" name="drill" value="1" checked={f.drill} /> <label for="drill">{t('incidents.stats.drill')}</label></div>
          <FieldShell ctx={ctx} name="drillKind" label={t('incidents.drill.kind')}>
            <select id="drillKind" name="drillKind">{(['notification', 'social_engineering'] as const).map((k) => <option value={k} selected={f.drillKind === k}>{t(`incidents.drill.kind.${k}`)}</option>)}</select>
          </FieldShell>
        </fieldset>}
        <div>
          {mode === 'backfill' ? <button type="submit" name="do" value="submit">{t('incidents.action.backfill')}</button> : <>
            <button type="submit" name="do" value="draft">{t('incidents.form.saveDraft')}</button>{' '}
            <button type="submit" name="do" value="submit">{t('incidents.form.submit')}</button></>}
        </div>
      </form>
    </Layout>
  );
}

function Timer({ ctx, c, now }: { ctx: PageContext; c: Clock; now: Date }) {
  const { t } = ctx;
  const left = c.dueAt.getTime() - now.getTime();
  return (
    <tr data-clock={`${c.profileId}/${c.ruleId}`} data-state={c.state}>
      <th scope="row">{c.label[lang(ctx)]}</th>
      <td>{t(`clocks.state.${c.state}` as MessageKey)}</td>
      <td><time datetime={c.dueAt.toISOString()}>{when(c.dueAt, ctx)}</time></td>
      <td>{c.metAt ? when(c.metAt, ctx)
        : c.state === 'overdue' ? `${t('incidents.clocks.overdueBy')} ${span(ctx, -left)}`
        : <span data-countdown={c.dueAt.toISOString()}>{t('incidents.clocks.remaining')} <span data-left>{span(ctx, left)}</span></span>}</td>
      <td>{t(`clocks.role.${c.responsible}` as MessageKey)}</td>
      <td>{c.lateReason ?? ''}</td>
    </tr>
  );
}

function StepForm({ ctx, id, path, title, level, current, needsLate }: { ctx: PageContext; id: number; path: string; title: MessageKey; level: boolean; current: number | null; needsLate: boolean }) {
  const { t } = ctx;
  return (
    <form method="post" action={`/incidents/${id}/${path}`} class="stack">
      <h3>{t(title)}</h3>
      <CsrfField ctx={ctx} />
      {level && (
        <FieldShell ctx={ctx} name={`${path}-level`} label={t('incidents.action.level')}>
          <select id={`${path}-level`} name="level">
            <option value="">{t('incidents.action.keepLevel')} ({levelText(ctx, current)})</option>
            {[1, 2, 3, 4].filter((n) => n !== current).map((n) => <option value={String(n)}>{t('incidents.level.n', { n })}</option>)}
          </select>
        </FieldShell>
      )}
      {level && <FieldShell ctx={ctx} name={`${path}-reason`} label={t('incidents.action.reason')}><input id={`${path}-reason`} name="reason" type="text" maxLength={2000} /></FieldShell>}
      <FieldShell ctx={ctx} name={`${path}-note`} label={t('incidents.action.note')}><input id={`${path}-note`} name="note" type="text" maxLength={2000} /></FieldShell>
      {needsLate && <FieldShell ctx={ctx} name={`${path}-lateReason`} label={t('incidents.form.lateReason')}><input id={`${path}-lateReason`} name="lateReason" type="text" maxLength={2000} /></FieldShell>}
      <div><button type="submit">{t(title)}</button></div>
    </form>
  );
}

export function IncidentPage({ ctx, d, now, message, done, closure, closureForm, drill, profiles }: { ctx: PageContext; d: Detail; now: Date; message?: MessageKey; done?: boolean; closure?: ClosureMay; closureForm?: ClosureForm; drill?: DrillMay; profiles?: ProfileChoice }) {
  const { t } = ctx;
  const i = d.incident;
  const id = Number(i.id);
  const phone = d.events.find((e) => e.kind === 'phone_reported');
  const backfilled = d.events.find((e) => e.kind === 'backfilled');
  const overdue = (rule: string) => d.clocks.some((c) => c.ruleId === rule && c.state === 'overdue');
  return (
    <Layout ctx={ctx} title={i.title}>
      {message && <Notice kind="error">{t(message)}</Notice>}
      {done && <Notice kind="info">{t('incidents.action.done')}</Notice>}
      {i.drill && <Notice kind="warning">{t('incidents.detail.drillNote')}</Notice>}
      <dl>
        <dt>{t('incidents.detail.agency')}</dt><dd>{i.org_name}</dd>
        <dt>{t('incidents.detail.authority')}</dt><dd>{i.authority_name ?? t('incidents.detail.noAuthority')}</dd>
        <dt>{t('incidents.col.level')}</dt><dd>{levelText(ctx, i.level)}</dd>
        <dt>{t('incidents.category')}</dt><dd>{t(`incidents.category.${i.category ?? 'none'}` as MessageKey)}</dd>
        {i.drill_kind && <><dt>{t('incidents.drill.kind')}</dt><dd>{t(`incidents.drill.kind.${i.drill_kind}`)}</dd></>}
        <dt>{t('incidents.col.state')}</dt><dd>{t(`incidents.state.${i.state}` as MessageKey)}</dd>
        <dt>{t('incidents.detail.awareAt')}</dt><dd>{when(i.aware_at, ctx)}</dd>
        {phone ? <><dt>{t('incidents.detail.phoneAt')}</dt><dd>{when(phone.at, ctx)}</dd>
          <dt>{t('incidents.detail.backfilledAt')}</dt><dd>{backfilled ? when(backfilled.at, ctx) : t('incidents.detail.backfillPending')}</dd></>
          : <><dt>{t('incidents.detail.reportedAt')}</dt><dd>{when(i.reported_at, ctx)}</dd></>}
        <dt>{t('incidents.form.description')}</dt><dd>{i.description}</dd>
        <dt>{t('incidents.detail.systems')}</dt><dd>{i.affected_systems.map((s) => s.code ?? s.text).join('、') || '—'}</dd>
        <dt>{t('incidents.form.support')}</dt><dd>{t(i.support_requested ? 'incidents.detail.yes' : 'incidents.detail.no')}</dd>
        <dt>{t('incidents.form.otherAgencies')}</dt><dd>{t(i.other_agencies_affected ? 'incidents.detail.yes' : 'incidents.detail.no')}</dd>
        <dt>{t('incidents.form.ci')}</dt><dd>{t(i.critical_infrastructure ? 'incidents.detail.yes' : 'incidents.detail.no')}</dd>
        <dt>{t('incidents.form.contactName')}</dt><dd>{i.contact_name} {i.contact_phone} {i.contact_email}</dd>
      </dl>
      {d.may.edit && <p><a href={`/incidents/${id}/edit`}>{t('incidents.form.editDraft')}</a></p>}
      {d.may.backfill && <p><a href={`/incidents/${id}/backfill`}>{t('incidents.action.backfill')}</a></p>}
      {d.may.edit && (
        <form method="post" action={`/incidents/${id}/submit`} class="stack">
          <CsrfField ctx={ctx} />
          <FieldShell ctx={ctx} name="submit-lateReason" label={t('incidents.form.lateReason')}><input id="submit-lateReason" name="lateReason" type="text" maxLength={2000} /></FieldShell>
          <div><button type="submit">{t('incidents.form.submit')}</button></div>
        </form>
      )}
      <h2>{t('incidents.clocks.title')}</h2>
      {d.clocks.length === 0 ? <p>{t('incidents.clocks.none')}</p> : (
        <table>
          <caption>{t('incidents.clocks.title')}</caption>
          <thead><tr>
            <th scope="col">{t('incidents.timeline.clock')}</th><th scope="col">{t('incidents.col.state')}</th><th scope="col">{t('incidents.clocks.due')}</th>
            <th scope="col">{t('incidents.clocks.metAt')} / {t('incidents.clocks.remaining')}</th><th scope="col">{t('incidents.timeline.who')}</th><th scope="col">{t('incidents.clocks.lateReason')}</th>
          </tr></thead>
          <tbody data-countdown-now={now.toISOString()}>{d.clocks.map((c) => <Timer ctx={ctx} c={c} now={now} />)}</tbody>
        </table>
      )}
      {d.clocks.some((c) => c.metAt === null && c.state !== 'overdue') && <script src="/static/countdown.js" defer></script>}
      <h2>{t('incidents.timeline.title')}</h2>
      <p><a href={`/incidents/${id}/timeline.csv`}>{t('incidents.export.csv')}</a>{' · '}<a href={`/incidents/${id}/timeline.json`}>{t('incidents.export.json')}</a></p>
      <table>
        <caption>{t('incidents.timeline.title')}</caption>
        <thead><tr>
          <th scope="col">{t('incidents.timeline.when')}</th><th scope="col">{t('incidents.timeline.what')}</th><th scope="col">{t('incidents.timeline.who')}</th>
          <th scope="col">{t('incidents.timeline.clock')}</th><th scope="col">{t('incidents.timeline.recorded')}</th>
        </tr></thead>
        <tbody>
          {d.events.map((e) => {
            const met = d.clocks.filter((c) => c.metAt?.getTime() === e.at.getTime() && c.metByKind === e.kind);
            const p = e.payload as { from?: number | null; to?: number; note?: string };
            return (
              <tr data-event={e.kind}>
                <td>{when(e.at, ctx)}</td>
                <th scope="row">{t(`clocks.kind.${e.kind}` as MessageKey)}
                  {p.to !== undefined ? ` · ${t('incidents.timeline.levelFromTo', { from: p.from ?? '—', to: p.to })}` : e.level ? ` · ${t('incidents.timeline.level', { n: e.level })}` : ''}
                  {e.reason ? ` · ${e.reason}` : ''}{p.note ? ` · ${p.note}` : ''}</th>
                <td>{e.actor_name ?? t('incidents.timeline.system')}</td>
                <td>{met.map((c) => `${c.label[lang(ctx)]}（${t(`clocks.state.${c.state}` as MessageKey)}）`).join('；')}</td>
                <td>{when(e.recorded_at, ctx)}</td>
              </tr>
            );
          })}
          {d.escalations.map((x) => (
            <tr data-event="escalated">
              <td>{when(x.escalated_at, ctx)}</td>
              <th scope="row">{t('incidents.timeline.escalated', { clock: d.clocks.find((c) => c.ruleId === x.rule_id && c.profileId === x.profile_id)?.label[lang(ctx)] ?? x.rule_id, n: x.recipients })}</th>
              <td>{t('incidents.timeline.system')}</td><td></td><td>{when(x.escalated_at, ctx)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.may.review && <StepForm ctx={ctx} id={id} path="review" title="incidents.action.review" level current={i.level} needsLate={overdue('review')} />}
      {d.may.centreReview && <StepForm ctx={ctx} id={id} path="centre-review" title="incidents.action.centreReview" level current={i.level} needsLate={overdue('centre-review')} />}
      {d.may.directReview && <StepForm ctx={ctx} id={id} path="direct-review" title="incidents.action.directReview" level current={i.level} needsLate={false} />}
      {d.may.support && <StepForm ctx={ctx} id={id} path="support" title="incidents.action.support" level={false} current={i.level} needsLate={overdue('support')} />}
      {d.may.reReport && <StepForm ctx={ctx} id={id} path="level" title="incidents.action.reReport" level current={i.level} needsLate={false} />}
      {profiles && <ProfileSection ctx={ctx} id={id} c={profiles} overdue={d.clocks.some((c) => c.profileId !== 'tw-cs' && c.state === 'overdue')} />}
      {drill && <DrillSection ctx={ctx} id={id} may={drill} late={overdue('drill-report')} />}
      {closure && i.state !== 'draft' && <ClosureSection ctx={ctx} id={id} level={i.level} events={d.events} may={closure} overdue={overdue} form={closureForm} />}
    </Layout>
  );
}

export function ContactsPage({ ctx, agency, v, message, authority }: { ctx: PageContext; agency: string; v?: ContactsView; message?: MessageKey; authority?: { isAuthority: boolean; explicit: string } }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('incidents.contacts.title')}>
      {message && <Notice kind="error">{t(message)}</Notice>}
      <form method="get" action="/incidents/contacts" class="stack" novalidate>
        <Field ctx={ctx} name="agency" label={t('incidents.contacts.agency')} value={agency} inputMode="decimal" />
        <div><button type="submit">{t('incidents.contacts.show')}</button></div>
      </form>
      {v && (
        <section aria-labelledby="registry-h">
          <h2 id="registry-h">{v.agency.name}</h2>
          <p>{t('incidents.contacts.authority')}：{v.authority?.name ?? t('incidents.detail.noAuthority')}{v.isAuthority && <> · {t('incidents.contacts.isAuthority')}</>}</p>
          {v.missing.length === 0 ? <p>{t('incidents.contacts.complete')}</p> : v.missing.map((m) => (
            <Notice kind="warning">{t('incidents.contacts.missing', { role: t(`incidents.role.${m.role}` as MessageKey), need: m.need, have: m.have })}</Notice>
          ))}
          {v.noDedicated && <Notice kind="warning">{t('incidents.contacts.noDedicated')}</Notice>}
          <p>{v.confirmedAt ? t('incidents.contacts.confirmedAt', { at: when(v.confirmedAt, ctx) }) : t('incidents.contacts.neverConfirmed')}
            {v.confirmOverdue && v.confirmedAt && <> {t('incidents.contacts.confirmDue', { at: when(v.confirmDueAt, ctx) })}</>}</p>
          {v.contacts.length === 0 ? <p>{t('incidents.contacts.none')}</p> : (
            <table>
              <caption>{t('incidents.contacts.title')}</caption>
              <thead><tr><th scope="col">{t('incidents.contacts.role')}</th><th scope="col">{t('incidents.contacts.name')}</th>
                <th scope="col">{t('incidents.contacts.username')}</th><th scope="col">{t('incidents.contacts.dedicated')}</th></tr></thead>
              <tbody>{v.contacts.map((c) => (
                <tr><td>{t(`incidents.role.${c.role}` as MessageKey)}</td><th scope="row">{c.name}</th><td>{c.username}</td>
                  <td>{t(c.dedicated ? 'incidents.detail.yes' : 'incidents.detail.no')}</td></tr>
              ))}</tbody>
            </table>
          )}
          {authority && (
            <form method="post" action={`/incidents/authority?agency=${v.agency.oid}`} class="stack">
              <h3>{t('incidents.authority.title')}</h3>
              <CsrfField ctx={ctx} />
              <div><input type="checkbox" id="isAuthority" name="isAuthority" value="1" checked={authority.isAuthority} /> <label for="isAuthority">{t('incidents.authority.mark')}</label></div>
              <Field ctx={ctx} name="explicitAuthority" label={t('incidents.authority.explicit')} value={authority.explicit} inputMode="decimal" />
              <div><button type="submit">{t('incidents.authority.save')}</button></div>
            </form>
          )}
          {v.canManage && (
            <>
              <form method="post" action={`/incidents/contacts?agency=${v.agency.oid}`} class="stack">
                <h3>{t('incidents.contacts.add')}</h3>
                <CsrfField ctx={ctx} />
                <Field ctx={ctx} name="username" label={t('incidents.contacts.username')} maxLength={100} />
                <FieldShell ctx={ctx} name="role" label={t('incidents.contacts.role')}>
                  <select id="role" name="role">{(['security_contact', 'it_chief', 'ciso', 'reviewer'] as const).map((r) => <option value={r}>{t(`incidents.role.${r}`)}</option>)}</select>
                </FieldShell>
                <div><input type="checkbox" id="dedicated" name="dedicated" value="1" /> <label for="dedicated">{t('incidents.contacts.dedicated')}</label></div>
                <div><button type="submit">{t('incidents.contacts.add')}</button></div>
              </form>
              <form method="post" action={`/incidents/contacts/confirm?agency=${v.agency.oid}`}>
                <CsrfField ctx={ctx} />
                <button type="submit">{t('incidents.contacts.confirm')}</button>
              </form>
            </>
          )}
        </section>
      )}
    </Layout>
  );
}
