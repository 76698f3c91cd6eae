// Pieces shared by the request pages: the list table, the fields of a request, its history.
import type { PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { RequestListItem } from '../queries.ts';
import type { RequestView } from '../describe.ts';
import { requestNumber } from '../format.ts';

/** 我的申請 and 待審核列表: one row per request, its number linking to its page. */
export function RequestTable({ ctx, rows, caption, href, who }: { ctx: PageContext; rows: RequestListItem[]; caption: string; href: (id: number) => string; who: 'requester' | 'subject' }) {
  const { t } = ctx;
  return (
    <table>
      <caption>{caption}</caption>
      <thead><tr>
        <th scope="col">{t('request.col.number')}</th><th scope="col">{t('request.col.type')}</th>
        <th scope="col">{t(who === 'requester' ? 'request.col.requester' : 'request.col.subject')}</th>
        <th scope="col">{t('request.col.org')}</th><th scope="col">{t('request.col.submitted')}</th>
        <th scope="col">{t('request.col.status')}</th><th scope="col">{t('request.col.step')}</th>
      </tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr data-request={String(r.id)}>
            <th scope="row"><a href={href(r.id)}>{requestNumber(r.id)}</a></th>
            <td>{t(`request.type.${r.type}` as MessageKey)}</td>
            <td>{(who === 'requester' ? r.requesterName ?? r.subjectName : r.subjectName) ?? '—'}</td>
            <td>{r.orgName ?? r.orgOid}</td>
            <td>{formatTime(r.submittedAt, ctx.lang)}</td>
            <td>{t(`request.status.${r.status}` as MessageKey)}</td>
            <td>{r.status === 'pending' && r.stepKind ? t(`request.step.${r.stepKind}` as MessageKey) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Who asked: the requester, or for an account application (which has none: the applicant has no
 * enabled account yet) the applicant's own pending account, said so (issue 9 item 16).
 */
function requesterText(ctx: PageContext, v: RequestView): string {
  const who = (p: { name: string; username: string }) => (ctx.lang === 'en' ? `${p.name} (${p.username})` : `${p.name}（${p.username}）`);
  if (v.requester) return who(v.requester);
  if (v.subject) return `${who(v.subject)} ${ctx.t('request.details.applicantPending')}`;
  return ctx.t('request.details.requesterNone');
}

/** The summary, the request's own fields and every step (REQ-5), decided or not. */
export function RequestDetails({ ctx, v, approvers }: { ctx: PageContext; v: RequestView; approvers?: number }) {
  const { t } = ctx;
  return (
    <>
      <section aria-labelledby="summary-h">
        <h2 id="summary-h">{t('request.details.summary')}</h2>
        <dl>
          <dt>{t('request.col.number')}</dt><dd data-testid="request-number">{v.number}</dd>
          <dt>{t('request.col.type')}</dt><dd>{v.form ? `${v.form} ${v.title}` : v.title}</dd>
          <dt>{t('request.col.requester')}</dt><dd data-testid="request-requester">{requesterText(ctx, v)}</dd>
          <dt>{t('request.col.org')}</dt><dd>{v.orgName ? `${v.orgName}（${v.orgOid}）` : v.orgOid}</dd>
          <dt>{t('request.col.submitted')}</dt><dd>{v.submittedAt}</dd>
          <dt>{t('request.col.status')}</dt><dd data-testid="request-status">{v.statusLabel}</dd>
          {v.status === 'pending' && v.stepKind && <><dt>{t('request.col.step')}</dt><dd>{t(`request.step.${v.stepKind}` as MessageKey)}{approvers !== undefined && `（${t('request.details.approvers', { n: approvers })}）`}</dd></>}
          {v.executedAt && <><dt>{t('request.details.executedAt')}</dt><dd>{v.executedAt}</dd></>}
          {v.error && <><dt>{t('request.details.error')}</dt><dd>{v.error}</dd></>}
        </dl>
      </section>
      <section aria-labelledby="fields-h">
        <h2 id="fields-h">{t('request.details.fields')}</h2>
        <dl>{v.fields.map((f) => <><dt>{f.label}</dt><dd>{f.value}</dd></>)}</dl>
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">{t('request.details.history')}</h2>
        <table>
          <caption>{t('request.details.historyCaption')}</caption>
          <thead><tr>
            <th scope="col">{t('request.col.stepName')}</th><th scope="col">{t('request.col.decidedBy')}</th><th scope="col">{t('request.col.decision')}</th>
            <th scope="col">{t('request.col.comment')}</th><th scope="col">{t('request.col.decidedAt')}</th>
          </tr></thead>
          <tbody>
            {v.steps.map((s) => (
              <tr data-step={String(s.no)}>
                <th scope="row">{`${s.no}. ${s.label}`}</th>
                <td>{s.decidedBy ?? '—'}</td>
                <td>{s.decisionLabel ?? (v.status === 'pending' && s.no === v.stepNo ? t('request.details.waiting') : t('request.details.notYet'))}</td>
                <td>{s.comment || '—'}</td>
                <td>{s.decidedAt ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
