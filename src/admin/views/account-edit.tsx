// 公務員修改作業 (ADM-5, seed 003 section 九): the account's data in a form (administrators may
// also correct name, national ID and unit inside their jurisdiction), then its actions as seed
// 003's buttons: 還原密碼, 啟用一日密碼, 解除鎖定, 啟用/停用, 刪除, 角色設定. Each action is its own
// small form, shown only when the administrator's grant allows it.
import { AdminPasskeysSection } from '../../auth/views/passkeys.tsx';
import { AdminCertificatesSection } from '../../auth/cert/views.tsx';
import type { BindingRow } from '../../auth/cert/store.ts';
import type { PasskeyListItem } from '../../auth/passkeys.ts';
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { Account } from '../../db/types.ts';
import type { AccountErrors, AccountInput } from '../accounts.ts';
import { Done, Field, FormErrors, UnitSelect, errorText, type UnitOption } from './fields.tsx';
import { ProfileFields } from './profile-fields.tsx';
import { dateOnly } from './account-search.tsx';
import { AccountGrantsSection, type AccountGrants } from './grants.tsx';
import type { Recovery } from '../password-recovery.ts';
import { roleNamesText } from './roles.tsx';
import type { RoleName } from '../role-assignment.ts';

export interface EditPermissions { update: boolean; move: boolean; state: boolean; unlock: boolean; reset: boolean; oneDay: boolean; delete: boolean; roles: boolean; resendMail: boolean }

export interface EditView {
  account: Account; unitName: string | null; maskedNationalId: string | null; roles: RoleName[];
  units: UnitOption[]; values: AccountInput; errors?: AccountErrors; can: EditPermissions; domains: string;
  done?: MessageKey; doneVars?: Record<string, string | number>; error?: MessageKey;
  /** The 管理授權 section, for administrators who manage grants (ADM-7). */
  grants?: AccountGrants;
  /** The password action that fits the account's activation scheme (issue 9 item 12). */
  recovery: Recovery | null;
  /** The account's passkeys (AUTH-11, ADM-5); removable with `can.update`. */
  passkeys?: PasskeyListItem[];
  /** The account's registered citizen certificates (AUTH-8, ADM-5); removable with `can.update`. */
  certificates?: BindingRow[];
}

function ActionButton({ ctx, id, action, label, hidden, hint }: { ctx: PageContext; id: number; action: string; label: string; hidden?: Record<string, string>; hint?: string }) {
  const hintId = hint ? `${action}-hint` : undefined;
  return (
    <form method="post" action={`/admin/accounts/${id}/${action}`} class="action">
      <CsrfField ctx={ctx} />
      {Object.entries(hidden ?? {}).map(([k, val]) => <input type="hidden" name={k} value={val} />)}
      <button type="submit" aria-describedby={hintId}>{label}</button>
      {hint && <span id={hintId} class="hint">{hint}</span>}
    </form>
  );
}

function Actions({ ctx, v }: { ctx: PageContext; v: EditView }) {
  const { t } = ctx;
  const a = v.account;
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">{t('admin.edit.actions')}</h2>
      {/* Only the actions that can work for this account (issue 9 item 12). */}
      {v.can.reset && v.recovery === 'initial_password' && <ActionButton ctx={ctx} id={a.id} action="reset-password" label={t('admin.reset')} hint={t('admin.resetHint')} />}
      {v.can.oneDay && a.national_id_enc && a.birth_month && a.birth_day && <ActionButton ctx={ctx} id={a.id} action="one-day-password" label={t('admin.oneDay.button')} />}
      {v.can.unlock && <ActionButton ctx={ctx} id={a.id} action="unlock" label={t('admin.unlock')} />}
      {v.can.resendMail && a.state === 'not_activated' && a.email &&
        <ActionButton ctx={ctx} id={a.id} action="resend-mail" label={t('admin.resend.button')} hint={t('admin.resend.hint')} />}
      {v.can.resendMail && a.state === 'enabled' && v.recovery === 'set_password_link' &&
        <ActionButton ctx={ctx} id={a.id} action="resend-mail" label={t('admin.link.button')} hint={t('admin.link.hint')} />}
      {(v.can.reset || v.can.resendMail) && v.recovery === null && (a.state === 'enabled' || a.state === 'not_activated') &&
        <p class="hint">{t('admin.recovery.none')}</p>}
      {v.can.state && a.state === 'disabled' && <ActionButton ctx={ctx} id={a.id} action="state" label={t('admin.state.enable')} hidden={{ state: 'enabled' }} />}
      {v.can.state && (a.state === 'enabled' || a.state === 'not_activated') &&
        <ActionButton ctx={ctx} id={a.id} action="state" label={t('admin.state.disable')} hidden={{ state: 'disabled' }} />}
      {v.can.roles && <p><a href={`/admin/accounts/${a.id}/roles`}>{t('admin.rolesLink')}</a></p>}
      {v.can.delete && (
        <form method="post" action="/admin/accounts/delete" class="action">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="ids" value={String(a.id)} />
          <button type="submit" class="danger">{t('admin.delete')}</button>
        </form>
      )}
    </section>
  );
}

function Summary({ ctx, v }: { ctx: PageContext; v: EditView }) {
  const { t } = ctx;
  const a = v.account;
  const last = [a.last_password_login_at, a.last_certificate_login_at, a.last_passkey_login_at].filter((d): d is Date => d !== null).sort((x, y) => y.getTime() - x.getTime())[0];
  return (
    <dl>
      <dt>{t('admin.username')}</dt><dd data-testid="username">{a.username}</dd>
      <dt>{t('home.state')}</dt><dd data-testid="state">{t(`state.${a.state}` as MessageKey)}</dd>
      <dt>{t('admin.col.unit')}</dt><dd><span class="oid">{a.unit_oid}</span> {v.unitName ?? ''}</dd>
      <dt>{t('admin.edit.activated')}</dt><dd>{dateOnly(a.activated_at?.toISOString() ?? null, ctx.lang)}</dd>
      <dt>{t('admin.edit.lastLogin')}</dt><dd>{last ? formatTime(last, ctx.lang) : '—'}</dd>
      <dt>{t('admin.edit.roles')}</dt><dd data-testid="roles">{v.roles.length ? roleNamesText(ctx, v.roles) : t('admin.edit.noRoles')}</dd>
    </dl>
  );
}

export function EditAccountPage({ ctx, v }: { ctx: PageContext; v: EditView }) {
  const { t } = ctx;
  const a = v.account;
  const errors = v.errors ?? {};
  const err = (f: keyof AccountErrors) => (errors[f] ? errorText(ctx, errors[f]!) : undefined);
  return (
    <Layout ctx={ctx} title={t('admin.edit.title')}>
      <Done ctx={ctx} k={v.done} vars={v.doneVars} />
      {v.error && <Notice kind="error">{t(v.error)}</Notice>}
      <FormErrors ctx={ctx} errors={v.errors} />
      <Summary ctx={ctx} v={v} />
      {v.can.update && (
        <form method="post" action={`/admin/accounts/${a.id}`} class="stack" novalidate aria-labelledby="edit-h">
          <h2 id="edit-h">{t('profile.title')}</h2>
          <p class="hint">{t('admin.edit.lockedNote')} {t('admin.required')}</p>
          <CsrfField ctx={ctx} />
          {v.can.move && <UnitSelect ctx={ctx} units={v.units} value={v.values.unitOid ?? a.unit_oid} error={err('unitOid')} />}
          <Field ctx={ctx} name="name" label={t('profile.field.name')} value={v.values.name} error={err('name')} required />
          <Field ctx={ctx} name="nationalId" label={t('admin.nationalIdNew')} value={v.values.nationalId} error={err('nationalId')} maxLength={20}
            hint={t('admin.nationalIdCurrent', { masked: v.maskedNationalId ?? '—' })} />
          <ProfileFields ctx={ctx} values={v.values} errors={errors} domains={v.domains} birthdayRequired={false} emailRequired={false} />
          <button type="submit">{t('admin.save')}</button>
        </form>
      )}
      <Actions ctx={ctx} v={v} />
      {v.passkeys && <AdminPasskeysSection ctx={ctx} accountId={a.id} items={v.passkeys} canRemove={v.can.update} />}
      {v.certificates && <AdminCertificatesSection ctx={ctx} accountId={a.id} items={v.certificates} canRemove={v.can.update} />}
      {v.grants && <AccountGrantsSection ctx={ctx} accountId={a.id} g={v.grants} />}
      <p><a href="/admin/accounts">{t('admin.back')}</a></p>
    </Layout>
  );
}
