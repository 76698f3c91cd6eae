// 帳號清查 pages (GOV-3, GOV-4): the definitions and runs of the administrator's jurisdiction with
// the new-definition form, and a run's review page — progress, filter (GET, no JavaScript needed),
// the items with a decision form each, the bulk decision for the whole filter, the sign-off with the
// password, and after it the signer, the outcomes and the report with its SHA-256.
import { CsrfField, Layout, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import { taipeiDate } from '../../requests/format.ts';
import { Field, FieldShell } from '../../admin/views/fields.tsx';
import { DECISIONS, DEFAULT_ACTIONS, RECURRENCES } from './rules.ts';
import type { campaignsOf } from './definitions.ts';
import type { reviewItems } from './review.ts';

type Lists = Awaited<ReturnType<typeof campaignsOf>>;
export interface RoleLabel { code: string; label: string }

export function CampaignsPage({ ctx, v }: { ctx: PageContext; v: Lists & { canDefine: boolean; error?: MessageKey; form?: Record<string, string> } }) {
  const { t } = ctx;
  const f = v.form ?? {};
  return (
    <Layout ctx={ctx} title={t('campaign.title')}>
      <p>{t('campaign.intro')}</p>
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      <h2>{t('campaign.definitions')}</h2>
      {v.definitions.length === 0 ? <p>{t('campaign.none')}</p> : (
        <table>
          <caption>{t('campaign.definitions')}</caption>
          <thead><tr>
            <th scope="col">{t('campaign.name')}</th><th scope="col">{t('campaign.run.scope')}</th><th scope="col">{t('campaign.recurrence')}</th>
            <th scope="col">{t('campaign.default')}</th><th scope="col">{t('campaign.nextRun')}</th><th scope="col">{t('campaign.startNow')}</th>
          </tr></thead>
          <tbody>
            {v.definitions.map((d) => (
              <tr data-definition={d.id}>
                <th scope="row">{d.name}</th>
                <td>{d.scope_name ?? ''} <span class="oid">{d.scope_oid}</span></td>
                <td>{t(`campaign.recurrence.${d.recurrence}` as MessageKey)}</td>
                <td>{t(`campaign.default.${d.default_action}` as MessageKey)}</td>
                <td>{d.next_run_at ? taipeiDate(d.next_run_at) : ''}</td>
                <td>{v.canDefine && (
                  <form method="post" action={`/admin/campaigns/${d.id}/start`}><CsrfField ctx={ctx} />
                    <button type="submit" aria-label={`${t('campaign.startNow')}：${d.name}`}>{t('campaign.startNow')}</button></form>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('campaign.runs')}</h2>
      {v.runs.length === 0 ? <p>{t('campaign.noRuns')}</p> : (
        <ul>
          {v.runs.map((r) => (
            <li data-run={r.id}><a href={`/admin/campaigns/runs/${r.id}`}>{r.name}</a>{'　'}{r.scope_name ?? r.scope_oid}{'　'}
              {taipeiDate(r.started_at)}{'　'}{t(`campaign.state.${r.state}` as MessageKey)}</li>
          ))}
        </ul>
      )}
      {v.canDefine && (
        <>
          <h2>{t('campaign.new')}</h2>
          <form method="post" action="/admin/campaigns" class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <Field ctx={ctx} name="name" label={t('campaign.name')} value={f.name} required />
            <Field ctx={ctx} name="scopeOid" label={t('campaign.scope')} value={f.scopeOid} inputMode="decimal" required />
            <Field ctx={ctx} name="systemCode" label={t('campaign.system')} value={f.systemCode} />
            <Field ctx={ctx} name="inactiveDays" label={t('campaign.inactiveDays')} value={f.inactiveDays} inputMode="numeric" />
            <FieldShell ctx={ctx} name="recurrence" label={t('campaign.recurrence')}>
              <select id="recurrence" name="recurrence">{RECURRENCES.map((r) => <option value={r} selected={f.recurrence === r}>{t(`campaign.recurrence.${r}`)}</option>)}</select>
            </FieldShell>
            <Field ctx={ctx} name="deadlineDays" label={t('campaign.deadlineDays')} value={f.deadlineDays ?? '14'} inputMode="numeric" required />
            <FieldShell ctx={ctx} name="defaultAction" label={t('campaign.default')}>
              <select id="defaultAction" name="defaultAction">{DEFAULT_ACTIONS.map((a) => <option value={a} selected={f.defaultAction === a}>{t(`campaign.default.${a}`)}</option>)}</select>
            </FieldShell>
            <div><input type="checkbox" id="attestation" name="attestation" value="true" checked={f.attestation === 'true'} />
              <label for="attestation">{t('attest.option')}</label></div>
            <div><button type="submit">{t('campaign.create')}</button></div>
          </form>
        </>
      )}
    </Layout>
  );
}

type Review = Awaited<ReturnType<typeof reviewItems>>;
export interface RunView {
  r: Review; query: Record<string, string>; page: number; pageSize: number; roles: RoleLabel[]; canDecide: boolean; canSign: boolean; certText?: string;
  error?: MessageKey; done?: MessageKey; doneVars?: Record<string, string | number>; signerName?: string | null;
}

const qs = (q: Record<string, string>, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...q, ...extra }).filter(([, x]) => x !== '')).toString();

function FilterFields({ ctx, q }: { ctx: PageContext; q: Record<string, string> }) {
  return [
    q.unit && <input type="hidden" name="unit" value={q.unit} />,
    q.recommendation && <input type="hidden" name="recommendation" value={q.recommendation} />,
    q.inactiveDays && <input type="hidden" name="inactiveDays" value={q.inactiveDays} />,
    q.undecided && <input type="hidden" name="undecided" value={q.undecided} />,
  ].filter(Boolean);
}

function DecisionControls({ ctx, id, roles }: { ctx: PageContext; id: string; roles: RoleLabel[] }) {
  const { t } = ctx;
  return (
    <>
      <label for={`decision-${id}`}>{t('campaign.decision')}</label>
      <select id={`decision-${id}`} name="decision">{DECISIONS.map((d) => <option value={d}>{t(`campaign.decision.${d}`)}</option>)}</select>
      <label for={`role-${id}`}>{t('campaign.role')}</label>
      <select id={`role-${id}`} name="role"><option value="">—</option>{roles.map((r) => <option value={r.code}>{r.label}</option>)}</select>
      <label for={`reason-${id}`}>{t('campaign.reason')}</label>
      <input id={`reason-${id}`} name="reason" maxLength={1000} />
    </>
  );
}

export function CampaignRunPage({ ctx, v }: { ctx: PageContext; v: RunView }) {
  const { t } = ctx;
  const { run, items, total, progress } = v.r;
  const label = new Map(v.roles.map((r) => [r.code, r.label]));
  const pages = Math.max(1, Math.ceil(total / v.pageSize));
  const open = run.state === 'open';
  const base = `/admin/campaigns/runs/${run.id}`;
  return (
    <Layout ctx={ctx} title={t('campaign.run.title', { name: run.name })}>
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      {v.done && <Notice kind="info">{t(v.done, v.doneVars)}</Notice>}
      <dl>
        <dt>{t('campaign.run.scope')}</dt><dd>{run.scope_name ?? ''} <span class="oid">{run.scope_oid}</span></dd>
        <dt>{t('campaign.run.started')}</dt><dd>{formatTime(run.started_at, ctx.lang)}</dd>
        <dt>{t('campaign.run.deadline')}</dt><dd>{formatTime(run.deadline_at, ctx.lang)}</dd>
        <dt>{t('campaign.run.state')}</dt><dd>{t(`campaign.state.${run.state}` as MessageKey)}</dd>
      </dl>
      <p><label for="progress">{t('campaign.progress.label')}</label>{' '}
        <progress id="progress" max={Math.max(1, progress.total)} value={progress.decided}>{t('campaign.progress', progress)}</progress>{' '}
        <span data-progress>{t('campaign.progress', progress)}</span></p>
      {run.attestation && <p data-attestations>{t('attest.progress', { confirmed: progress.confirmed, reported: progress.reported, total: progress.total })}</p>}
      {run.signed_at && <p>{t('campaign.signed', { name: v.signerName ?? '', at: formatTime(run.signed_at, ctx.lang), method: t(`campaign.method.${run.sign_method ?? 'password'}` as MessageKey) })}</p>}
      {run.state === 'signed' && (
        <p><label for="execution">{t('campaign.execution.label')}</label>{' '}
          <progress id="execution" max={Math.max(1, run.item_count)} value={run.executed_items}>{t('campaign.execution', { done: run.executed_items, total: run.item_count })}</progress>{' '}
          <span data-execution>{t('campaign.execution', { done: run.executed_items, total: run.item_count })}</span>{' '}
          <a href={base}>{t('campaign.execution.refresh')}</a></p>
      )}
      {run.report_sha256 && (
        <ul class="stack">
          <li><a href={`${base}/report.pdf`}>{t('campaign.report.pdf')}</a>{run.report_pdf_sha256 && <>{' '}<span>{t('campaign.report.hash', { hash: run.report_pdf_sha256 })}</span></>}</li>
          <li><a href={`${base}/form.pdf`}>{t('campaign.report.form')}</a>{run.form_pdf_sha256 && <>{' '}<span>{t('campaign.report.hash', { hash: run.form_pdf_sha256 })}</span></>}</li>
          <li><a href={`${base}/report.csv`}>{t('campaign.report')}</a>{' '}<span>{t('campaign.report.hash', { hash: run.report_sha256 })}</span></li>
        </ul>
      )}
      <h2>{t('campaign.filter')}</h2>
      <form method="get" action={base} class="stack" novalidate>
        <Field ctx={ctx} name="unit" label={t('campaign.filter.unit')} value={v.query.unit} inputMode="decimal" />
        <FieldShell ctx={ctx} name="recommendation" label={t('campaign.filter.recommendation')}>
          <select id="recommendation" name="recommendation">
            {(['', 'keep', 'disable'] as const).map((r) => <option value={r} selected={v.query.recommendation === r}>{r ? t(`campaign.rec.${r}`) : t('campaign.filter.all')}</option>)}
          </select>
        </FieldShell>
        <Field ctx={ctx} name="inactiveDays" label={t('campaign.filter.inactiveDays')} value={v.query.inactiveDays} inputMode="numeric" />
        <div><input type="checkbox" id="undecided" name="undecided" value="true" checked={v.query.undecided === 'true'} />
          <label for="undecided">{t('campaign.filter.undecided')}</label></div>
        <div><button type="submit">{t('campaign.filter')}</button></div>
      </form>
      {open && v.canDecide && total > 0 && (
        <form method="post" action={`${base}/decide`} class="stack">
          <CsrfField ctx={ctx} /><input type="hidden" name="bulk" value="1" />
          <FilterFields ctx={ctx} q={v.query} />
          <fieldset><legend>{t('campaign.bulk', { n: total })}</legend>
            <DecisionControls ctx={ctx} id="bulk" roles={v.roles} />
            <button type="submit">{t('campaign.bulk.submit')}</button>
          </fieldset>
        </form>
      )}
      {items.length === 0 ? <p>{t('campaign.items.none')}</p> : (
        <table>
          <caption>{t('campaign.items.total', { n: total })}</caption>
          <thead><tr>
            <th scope="col">{t('campaign.col.username')}</th><th scope="col">{t('campaign.col.name')}</th><th scope="col">{t('campaign.col.unit')}</th>
            <th scope="col">{t('campaign.col.state')}</th><th scope="col">{t('campaign.col.roles')}</th><th scope="col">{t('campaign.col.lastSignIn')}</th>
            <th scope="col">{t('campaign.col.recommendation')}</th>{run.attestation && <th scope="col">{t('attest.col')}</th>}<th scope="col">{t('campaign.col.decision')}</th>
            {!open && <th scope="col">{t('campaign.col.outcome')}</th>}
          </tr></thead>
          <tbody>
            {items.map((i) => {
              const last = [i.last_password_at, i.last_certificate_at, i.last_passkey_at].filter((x): x is Date => x !== null).sort((a, b) => b.getTime() - a.getTime())[0];
              return (
                <tr data-item={i.username}>
                  <td>{i.username}</td><th scope="row">{i.name}</th>
                  <td>{i.unit_name ?? ''} <span class="oid">{i.unit_oid}</span></td>
                  <td>{t(`state.${i.state}` as MessageKey)}</td>
                  <td>{i.roles.map((c) => label.get(c) ?? c).join('、')}</td>
                  <td>{last ? formatTime(last, ctx.lang) : t('campaign.neverUsed')}</td>
                  <td>{t(`campaign.rec.${i.recommendation}`)}</td>
                  {run.attestation && <td data-attestation>{t(`attest.state.${i.attestation ?? 'none'}`)}{i.attestation_note ? `：${i.attestation_note}` : ''}</td>}
                  <td>
                    <span data-decision>{i.decision ? t(`campaign.decision.${i.decision}`) : t('campaign.decision.none')}</span>
                    {i.reason && <span>（{i.reason}）</span>}
                    {open && v.canDecide && (
                      <form method="post" action={`${base}/decide`}>
                        <CsrfField ctx={ctx} /><input type="hidden" name="accountId" value={String(i.account_id)} />
                        <FilterFields ctx={ctx} q={v.query} />
                        <DecisionControls ctx={ctx} id={String(i.account_id)} roles={v.roles.filter((r) => i.roles.includes(r.code))} />
                        <button type="submit" aria-label={`${t('campaign.decideOne')}：${i.username}`}>{t('campaign.decideOne')}</button>
                      </form>
                    )}
                  </td>
                  {!open && <td>{i.outcome ?? ''}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav aria-label={t('campaign.page.of', { page: v.page, pages })} class="pager">
          {v.page > 1 && <a href={`${base}?${qs(v.query, { page: String(v.page - 1) })}`} rel="prev">{t('campaign.page.prev')}</a>}{' '}
          <span>{t('campaign.page.of', { page: v.page, pages })}</span>{' '}
          {v.page < pages && <a href={`${base}?${qs(v.query, { page: String(v.page + 1) })}`} rel="next">{t('campaign.page.next')}</a>}
        </nav>
      )}
      {open && v.canSign && (
        <form method="post" action={`${base}/sign-off`} class="stack">
          <CsrfField ctx={ctx} />
          <h2>{t('campaign.signoff')}</h2>
          <p>{t('campaign.signoff.intro', { default: t(`campaign.default.${run.default_action}` as MessageKey) })}</p>
          <div><label for="password">{t('campaign.signoff.password')}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" maxLength={200} /></div>
          <div><button type="submit">{t('campaign.signoff.submit')}</button></div>
        </form>
      )}
      {open && v.canSign && v.certText && (
        <form method="post" action={`${base}/sign-off/certificate`} class="stack">
          <CsrfField ctx={ctx} />
          <h3>{t('campaign.signoff.certificate')}</h3>
          <p>{t('campaign.signoff.certificate.intro')}</p>
          <div><label for="tbs">{t('campaign.signoff.tbs')}</label>
            <textarea id="tbs" name="tbs" readonly rows={3} data-tbs>{v.certText}</textarea></div>
          <input type="hidden" name="format" value="pkcs7" />
          <div><label for="signature">{t('campaign.signoff.signature')}</label>
            <textarea id="signature" name="signature" rows={4} maxLength={40000}></textarea></div>
          <div><button type="submit">{t('campaign.signoff.certificate.submit')}</button></div>
        </form>
      )}
    </Layout>
  );
}
