// 審查詳細資訊 (REQ-4) for an approver, with 接受申請／駁回 and 審查說明; the requester's own view of
// the same request, with 撤回 while it is pending. Both show the full history (REQ-5) and the PDF.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { describedBy } from '../../admin/views/fields.tsx';
import type { RequestView } from '../describe.ts';
import { REQUEST_TYPES, isRequestType } from '../types/index.ts';
import { MAX_COMMENT } from '../decisions.ts';
import { RequestDetails } from './parts.tsx';

export interface DetailsView {
  request: RequestView; mode: 'reviewer' | 'requester'; canDecide: boolean; canWithdraw: boolean; approvers?: number;
  comment?: string; error?: MessageKey; commentError?: MessageKey; notice?: { key: MessageKey; vars?: Record<string, string> };
  /** 駁回 was pressed with a comment: the page asks once more before anything is decided (issue 9 item 16). */
  confirmReject?: boolean;
}

function CommentField({ ctx, d }: { ctx: PageContext; d: DetailsView }) {
  const { t } = ctx;
  const hint = t('request.decide.commentHint');
  const err = d.commentError ? t(d.commentError) : undefined;
  return (
    <div>
      <label for="comment">{t('request.decide.comment')}</label>
      <span id="comment-hint" class="hint">{hint}</span>
      <textarea id="comment" name="comment" rows={4} maxLength={MAX_COMMENT} aria-invalid={err ? 'true' : undefined}
        aria-describedby={describedBy('comment', hint, err)}>{d.comment ?? ''}</textarea>
      {err && <span id="comment-error" class="field-error">{err}</span>}
    </div>
  );
}

/** 接受申請 and 駁回申請 look different: rejecting is the red, second, separated button, and asks again. */
function DecisionForm({ ctx, d }: { ctx: PageContext; d: DetailsView }) {
  const { t } = ctx;
  const r = d.request;
  return (
    <form method="post" action={`/admin/requests/${r.id}/decision`} class="stack" aria-labelledby="decide-h">
      <h2 id="decide-h">{t('request.decide.heading')}</h2>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="step" value={String(r.stepNo)} />
      <CommentField ctx={ctx} d={d} />
      <p class="decision-buttons">
        <button type="submit" name="decision" value="approved" class="approve">{t('request.decide.accept')}</button>
        <button type="submit" name="decision" value="rejected" class="danger">{t('request.decide.reject')}</button>
      </p>
    </form>
  );
}

/** The confirmation step of 駁回 (works without JavaScript): the comment can still be edited here. */
function ConfirmReject({ ctx, d }: { ctx: PageContext; d: DetailsView }) {
  const { t } = ctx;
  const r = d.request;
  const warning = isRequestType(r.type) ? REQUEST_TYPES[r.type].rejectWarning : undefined;
  return (
    <form method="post" action={`/admin/requests/${r.id}/decision`} class="stack confirm-reject" aria-labelledby="confirm-h">
      <h2 id="confirm-h">{t('request.decide.confirmHeading')}</h2>
      <div class="notice warning" role="alert">
        <p>{t('request.decide.confirmText')}</p>
        {warning && <p>{t(warning)}</p>}
      </div>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="step" value={String(r.stepNo)} />
      <input type="hidden" name="confirm" value="reject" />
      <CommentField ctx={ctx} d={d} />
      <p class="decision-buttons">
        <button type="submit" name="decision" value="rejected" class="danger">{t('request.decide.confirmReject')}</button>
        <a href={`/admin/requests/${r.id}`}>{t('request.decide.cancel')}</a>
      </p>
    </form>
  );
}

export function DetailsPage({ ctx, d }: { ctx: PageContext; d: DetailsView }) {
  const { t } = ctx;
  const r = d.request;
  const reviewer = d.mode === 'reviewer';
  return (
    <Layout ctx={ctx} title={t(reviewer ? 'request.details.title' : 'request.view.title')}>
      {d.notice && <Notice kind="info">{t(d.notice.key, d.notice.vars)}</Notice>}
      {d.error && <Notice kind="error">{t(d.error)}</Notice>}
      <RequestDetails ctx={ctx} v={r} approvers={d.approvers} />
      {d.canDecide && (d.confirmReject ? <ConfirmReject ctx={ctx} d={d} /> : <DecisionForm ctx={ctx} d={d} />)}
      {d.canWithdraw && (
        <form method="post" action={`/requests/${r.id}/withdraw`}>
          <CsrfField ctx={ctx} />
          <button type="submit">{t('request.withdraw')}</button>
        </form>
      )}
      <p><a href={`/requests/${r.id}/form.pdf`}>{t('request.pdf')}</a></p>
      <p><a href={reviewer ? '/admin/requests' : '/requests'}>{t(reviewer ? 'request.back.queue' : 'request.back.mine')}</a></p>
    </Layout>
  );
}
