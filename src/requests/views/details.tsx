// 審查詳細資訊 (REQ-4) for an approver, with 接受申請／駁回 and 審查說明; the requester's own view of
// the same request, with 撤回 while it is pending. Both show the full history (REQ-5) and the PDF.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { describedBy } from '../../admin/views/fields.tsx';
import type { RequestView } from '../describe.ts';
import { MAX_COMMENT } from '../decisions.ts';
import { RequestDetails } from './parts.tsx';

export interface DetailsView {
  request: RequestView; mode: 'reviewer' | 'requester'; canDecide: boolean; canWithdraw: boolean; approvers?: number;
  comment?: string; error?: MessageKey; commentError?: MessageKey; notice?: { key: MessageKey; vars?: Record<string, string> };
}

function DecisionForm({ ctx, d }: { ctx: PageContext; d: DetailsView }) {
  const { t } = ctx;
  const r = d.request;
  const hint = t('request.decide.commentHint');
  const err = d.commentError ? t(d.commentError) : undefined;
  return (
    <form method="post" action={`/admin/requests/${r.id}/decision`} class="stack" aria-labelledby="decide-h">
      <h2 id="decide-h">{t('request.decide.heading')}</h2>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="step" value={String(r.stepNo)} />
      <div>
        <label for="comment">{t('request.decide.comment')}</label>
        <span id="comment-hint" class="hint">{hint}</span>
        <textarea id="comment" name="comment" rows={4} maxLength={MAX_COMMENT} aria-invalid={err ? 'true' : undefined}
          aria-describedby={describedBy('comment', hint, err)}>{d.comment ?? ''}</textarea>
        {err && <span id="comment-error" class="field-error">{err}</span>}
      </div>
      <p>
        <button type="submit" name="decision" value="approved">{t('request.decide.accept')}</button>{' '}
        <button type="submit" name="decision" value="rejected">{t('request.decide.reject')}</button>
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
      {d.canDecide && <DecisionForm ctx={ctx} d={d} />}
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
