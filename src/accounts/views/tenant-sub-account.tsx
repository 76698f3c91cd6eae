// 子帳號資料 (ACC-7, ADM-5; issue 9 item 13): one sub-account on the main-account holder's pages,
// in seed 001's words — 編輯子帳號, 編報站權限 (the systems the teacher may report in), 補寄驗證信 or
// a link to set a new password, 停用. Each is its own small form; everything works without JavaScript.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { RoleChoice } from '../../admin/role-assignment.ts';
import type { Recovery } from '../../admin/password-recovery.ts';
import type { Tenant } from '../tenant-accounts.ts';
import type { SubEditErrors, SubEditField, SubEditInput } from '../tenant-sub-account.ts';
import { SubField, type SubFieldOptions } from './tenant-accounts.tsx';

export interface SubAccountView {
  tenant: Tenant;
  account: { id: number; username: string; name: string; state: string; isHolder: boolean; isSelf: boolean };
  values: SubEditInput; errors?: SubEditErrors;
  grantable: RoleChoice[]; otherHeld: number;
  recovery: Recovery | null; domains: string;
  can: { edit: boolean; roles: boolean; link: boolean; disable: boolean };
  info?: string; error?: string;
}

const hidden = (ctx: PageContext, tenant: Tenant) => <><CsrfField ctx={ctx} /><input type="hidden" name="tenant" value={tenant.code} /></>;

function EditForm({ ctx, v }: { ctx: PageContext; v: SubAccountView }) {
  const { t } = ctx;
  const field = (f: SubEditField, label: MessageKey, o: SubFieldOptions = {}) =>
    <SubField ctx={ctx} name={f} label={label} value={v.values[f]} error={v.errors?.[f]} domains={v.domains} o={o} />;
  return (
    <form method="post" action={`/tenant/accounts/${v.account.id}`} class="stack" aria-labelledby="edit-h">
      <h2 id="edit-h">{t('tenant.sub.editH')}</h2>
      {hidden(ctx, v.tenant)}
      {field('name', 'profile.field.name')}
      {field('department', 'profile.field.department')}
      {field('title', 'profile.field.title')}
      {field('officePhone', 'profile.field.officePhone', { type: 'tel', hint: t('tenant.phoneHint') })}
      {field('officeExt', 'profile.field.officeExt', { required: false, inputMode: 'numeric' })}
      {field('email', 'profile.field.email', { type: 'email', hint: t('tenant.emailHint', { domains: v.domains }) })}
      <button type="submit">{t('tenant.sub.save')}</button>
    </form>
  );
}

function RolesForm({ ctx, v }: { ctx: PageContext; v: SubAccountView }) {
  const { t } = ctx;
  const en = ctx.lang === 'en';
  return (
    <section aria-labelledby="roles-h">
      <h2 id="roles-h">{t('tenant.sub.rolesH')}</h2>
      {v.grantable.length === 0 ? <p>{t('tenant.sub.rolesNone')}</p> : (
        <form method="post" action={`/tenant/accounts/${v.account.id}/roles`}>
          {hidden(ctx, v.tenant)}
          <fieldset>
            <legend>{t('tenant.sub.rolesLegend', { username: v.account.username })}</legend>
            {v.grantable.map((r) => (
              <div>
                <input type="checkbox" id={`role-${r.code}`} name="roles" value={r.code} checked={r.held} />
                <label for={`role-${r.code}`}>{en ? `${r.systemEn}: ${r.nameEn}` : `${r.systemZh}：${r.nameZh}`}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{t('tenant.sub.rolesSave')}</button>
        </form>
      )}
      {v.otherHeld > 0 && <p class="hint">{t('tenant.sub.rolesOther', { n: v.otherHeld })}</p>}
    </section>
  );
}

function Actions({ ctx, v }: { ctx: PageContext; v: SubAccountView }) {
  const { t } = ctx;
  const a = v.account;
  const waiting = a.state === 'not_activated';
  return (
    <section aria-labelledby="sub-actions-h">
      <h2 id="sub-actions-h">{t('tenant.sub.actionsH')}</h2>
      {v.can.link && (
        <form method="post" action={`/tenant/accounts/${a.id}/resend-mail`} class="action">
          {hidden(ctx, v.tenant)}
          <button type="submit" aria-describedby="link-hint">{t(waiting ? 'admin.resend.button' : 'admin.link.button')}</button>
          <span id="link-hint" class="hint">{t(waiting ? 'admin.resend.hint' : 'admin.link.hint')}</span>
        </form>
      )}
      {v.can.disable && (
        <form method="post" action={`/tenant/accounts/${a.id}/disable`} class="action">
          {hidden(ctx, v.tenant)}
          <button type="submit" class="danger" aria-label={t('tenant.disableLabel', { username: a.username })}>{t('tenant.disable')}</button>
        </form>
      )}
      {!v.can.link && !v.can.disable && <p>{t('tenant.sub.noActions')}</p>}
    </section>
  );
}

export function SubAccountPage({ ctx, v }: { ctx: PageContext; v: SubAccountView }) {
  const { t } = ctx;
  const a = v.account;
  return (
    <Layout ctx={ctx} title={t('tenant.sub.title')}>
      <p data-testid="tenant">{t('tenant.school', { school: v.tenant.name, code: v.tenant.code })}</p>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      <dl>
        <dt>{t('tenant.username')}</dt><dd data-testid="username">{a.username}</dd>
        <dt>{t('profile.field.name')}</dt><dd>{a.name}</dd>
        <dt>{t('home.state')}</dt><dd data-testid="state">{t(`state.${a.state}` as 'state.enabled')}</dd>
        <dt>{t('tenant.col.role')}</dt><dd>{t(a.isHolder ? 'tenant.role.main' : 'tenant.role.sub')}</dd>
      </dl>
      {v.can.edit ? <EditForm ctx={ctx} v={v} /> : a.isSelf && <p><a href="/profile">{t('tenant.sub.selfProfile')}</a></p>}
      {v.can.roles && <RolesForm ctx={ctx} v={v} />}
      <Actions ctx={ctx} v={v} />
      <p><a href={`/tenant/accounts?tenant=${v.tenant.code}`}>{t('tenant.sub.back')}</a></p>
    </Layout>
  );
}
