// Step 3 (seed 000 step 5 「雙因子 OTP 驗證」): the e-mail code and the SMS code, both required;
// a channel already verified is shown as such. "重新發送" per channel, after a cool-down.
import { Layout, CsrfField, Notice, type PageContext } from '../../../platform/web/layout.tsx';
import type { CodeProblem } from '../service.ts';
import type { OtpChannel } from '../otp.ts';
import { ApplySteps, CancelForm, codeProblemText } from './shared.tsx';

export interface VerifyView {
  emailMasked: string; mobileMasked: string; minutes: number; maxTries: number;
  verified: Record<OtpChannel, boolean>; problems?: Partial<Record<OtpChannel, CodeProblem>>; info?: string; error?: string;
}

const FIELD: Record<OtpChannel, string> = { mail: 'mailCode', sms: 'smsCode' };

function CodeField({ ctx, channel, v }: { ctx: PageContext; channel: OtpChannel; v: VerifyView }) {
  const { t } = ctx;
  const id = FIELD[channel];
  const label = t(channel === 'mail' ? 'apply.code.mail' : 'apply.code.sms');
  if (v.verified[channel]) return <p data-testid={`${id}-verified`}>{label}：<strong>{t('apply.code.verified')}</strong></p>;
  const problem = v.problems?.[channel];
  const hint = t(channel === 'mail' ? 'apply.code.mailHint' : 'apply.code.smsHint', { to: channel === 'mail' ? v.emailMasked : v.mobileMasked });
  return (
    <div>
      <label for={id}>{label}</label>
      <span id={`${id}-hint`} class="hint">{hint}</span>
      <input id={id} name={id} inputMode="numeric" autocomplete="one-time-code" maxLength={12} size={8} aria-required="true"
        aria-invalid={problem ? 'true' : undefined} aria-describedby={[`${id}-hint`, problem ? `${id}-error` : ''].filter(Boolean).join(' ')} />
      {problem && <span id={`${id}-error`} class="field-error">{codeProblemText(ctx, problem)}</span>}
    </div>
  );
}

function ResendForm({ ctx, channel }: { ctx: PageContext; channel: OtpChannel }) {
  return (
    <form method="post" action="/apply/resend" class="inline-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="channel" value={channel} />
      <button type="submit" class="secondary">{ctx.t(channel === 'mail' ? 'apply.resend.mail' : 'apply.resend.sms')}</button>
    </form>
  );
}

export function VerifyPage({ ctx, v }: { ctx: PageContext; v: VerifyView }) {
  const { t } = ctx;
  const pending = (['mail', 'sms'] as const).filter((c) => !v.verified[c]);
  return (
    <Layout ctx={ctx} title={t('apply.verify.title')}>
      <ApplySteps ctx={ctx} current={3} />
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.problems && Object.keys(v.problems).length > 0 && <Notice kind="error">{t('apply.verify.failed')}</Notice>}
      <p>{t('apply.verify.intro', { minutes: v.minutes, max: v.maxTries })}</p>
      <form method="post" action="/apply/verify" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <CodeField ctx={ctx} channel="mail" v={v} />
        <CodeField ctx={ctx} channel="sms" v={v} />
        <button type="submit">{t('apply.verify.submit')}</button>
      </form>
      {pending.length > 0 && (
        <section aria-labelledby="resend-h">
          <h2 id="resend-h">{t('apply.resend.title')}</h2>
          <p class="hint">{t('apply.resend.hint')}</p>
          {pending.map((c) => <ResendForm ctx={ctx} channel={c} />)}
        </section>
      )}
      <CancelForm ctx={ctx} />
    </Layout>
  );
}
