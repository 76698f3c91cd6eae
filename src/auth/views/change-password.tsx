import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Policy } from '../../orgs/policy.ts';
import type { MessageKey } from '../../platform/web/messages.ts';

export interface ChangePasswordView {
  policy: Policy; username: string; errors?: MessageKey[]; forced?: 'initial' | 'expired'; done?: boolean;
  /** Replacing a one-day password: AUTH-7's stricter rule is listed too. */
  oneDay?: boolean;
  /** A forced change interrupted a sign-in (e.g. a system's single sign-on): where it goes on afterwards. */
  returnTo?: string;
  /** The account has chosen a password before, so "not one of the last n" applies. */
  hasHistory: boolean;
}

/**
 * The rules a new password must meet. `hasHistory` false (a new account, an application, a first
 * set-password link): no "not one of the last n passwords", which would puzzle someone who never had one.
 */
export function PasswordRules({ ctx, policy, oneDay, hasHistory }: { ctx: PageContext; policy: Policy; oneDay?: boolean; hasHistory: boolean }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">{t('password.rules')}</h2>
      <ul>
        <li>{t('password.rule.minLength', { n: policy['password.minLength'] })}</li>
        <li>{t(policy['password.classes'] === 'upper_lower_digit_only' ? 'password.rule.onlyUpperLowerDigit' : 'password.rule.classes')}</li>
        {hasHistory && policy['password.history'] > 0 && <li>{t('password.rule.history', { n: policy['password.history'] })}</li>}
        <li>{t('password.rule.username')}</li>
        {policy['password.rejectCommon'] && <li>{t('password.rule.keyboard')}</li>}
        {policy['password.rejectCommon'] && <li>{t('password.rule.common')}</li>}
        {oneDay && <li>{t('password.needsUpperLowerDigit')}</li>}
      </ul>
    </section>
  );
}

/**
 * 顯示密碼 (issue 9 item 19): a checkbox that shows the named password fields as text. It stays
 * hidden until app.js wires it up, so without JavaScript there is no box that does nothing.
 */
export function ShowPassword({ ctx, fields }: { ctx: PageContext; fields: string[] }) {
  const id = `show-${fields.join('-')}`;
  return (
    <div class="show-password" data-show-password={fields.join(' ')} hidden>
      <input type="checkbox" id={id} /> <label for={id}>{ctx.t('password.show')}</label>
    </div>
  );
}

/** New password + strength meter + confirmation: the same fields wherever a password is chosen. */
export function NewPasswordFields({ ctx, username }: { ctx: PageContext; username: string }) {
  const { t } = ctx;
  return (
    <>
      <div>
        <label for="next">{t('password.new')}</label>
        <input id="next" name="next" type="password" autocomplete="new-password" required maxLength={256}
          data-strength="1" data-username={username} aria-describedby="strength rules-h" />
      </div>
      <div id="strength" aria-live="polite">
        <span id="strength-label">{t('password.strength')}</span>：
        <meter min={0} max={4} low={2.5} high={3.5} optimum={4} value={0} aria-labelledby="strength-label"></meter>
        {' '}<span data-label=""></span>
      </div>
      <div>
        <label for="confirm">{t('password.confirm')}</label>
        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxLength={256} />
      </div>
      <ShowPassword ctx={ctx} fields={['next', 'confirm']} />
    </>
  );
}

export function ChangePasswordPage({ ctx, v }: { ctx: PageContext; v: ChangePasswordView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.title')}>
      {v.forced && <Notice kind="warning">{t(v.forced === 'expired' ? 'password.expired' : 'password.forced')}</Notice>}
      {v.done && <Notice kind="info">{t('password.changed')}</Notice>}
      {v.errors && v.errors.length > 0 && (
        <div class="notice error" role="alert"><ul>{v.errors.map((e) => <li>{t(e)}</li>)}</ul></div>
      )}
      <form method="post" action="/password/change" class="stack">
        <CsrfField ctx={ctx} />
        {v.returnTo && <input type="hidden" name="returnTo" value={v.returnTo} />}
        <div>
          <label for="current">{t('password.current')}</label>
          <input id="current" name="current" type="password" autocomplete="current-password" required maxLength={256} />
          <ShowPassword ctx={ctx} fields={['current']} />
        </div>
        <NewPasswordFields ctx={ctx} username={v.username} />
        <button type="submit">{t('password.submit')}</button>
      </form>
      <PasswordRules ctx={ctx} policy={v.policy} oneDay={v.oneDay} hasHistory={v.hasHistory} />
    </Layout>
  );
}
