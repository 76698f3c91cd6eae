// Pieces shared by the application pages (REQ-1): the step list, the agency box, code problems.
import { CsrfField, type PageContext } from '../../../platform/web/layout.tsx';
import type { CodeProblem } from '../service.ts';

export type ApplyStep = 1 | 2 | 3 | 4 | 5 | 6;

/** 選擇機關 → OTP 身分驗證 → 輸入驗證碼 → 帳號資料 → 申請權限 → 送出 */
export function ApplySteps({ ctx, current }: { ctx: PageContext; current: ApplyStep }) {
  const { t } = ctx;
  const steps = [t('apply.step1'), t('apply.step2'), t('apply.step3'), t('apply.step4'), t('apply.step5'), t('apply.step6')];
  return (
    <ol class="steps" aria-label={t('apply.steps')}>
      {steps.map((s, i) => <li aria-current={current === i + 1 ? 'step' : undefined}>{s}</li>)}
    </ol>
  );
}

/** 「機關代號」及「機關名稱」會自動帶出 (seed 000 step 3). */
export function AgencyBox({ ctx, org }: { ctx: PageContext; org: { oid: string; name: string } }) {
  const { t } = ctx;
  return (
    <dl class="agency">
      <dt>{t('apply.agencyType')}</dt><dd>OID</dd>
      <dt>{t('apply.agencyOid')}</dt><dd class="oid" data-testid="agency-oid">{org.oid}</dd>
      <dt>{t('apply.agencyName')}</dt><dd data-testid="agency-name">{org.name}</dd>
    </dl>
  );
}

export function codeProblemText(ctx: PageContext, p: CodeProblem): string {
  const { t } = ctx;
  switch (p.error) {
    case 'required': return t('apply.code.required');
    case 'format': return t('apply.code.format');
    case 'wrong': return t('apply.code.wrong', { n: p.triesLeft ?? 0 });
    case 'expired': return t('apply.code.expired');
    case 'locked': return t('apply.code.locked');
    case 'used': return t('apply.code.used');
    case 'none': return t('apply.code.none');
  }
}

/** "取消申請": deletes the draft and everything typed so far at once. */
export function CancelForm({ ctx }: { ctx: PageContext }) {
  return (
    <form method="post" action="/apply/cancel" class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class="secondary">{ctx.t('apply.cancel')}</button>
    </form>
  );
}
