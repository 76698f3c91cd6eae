// The main-account holder's page (ACC-7, ACC-8; seed 001 "子帳號" screens): the school's accounts
// with a disable button each, the create form with the school-code prefix, and the transfer form.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { SubAccountErrors, SubAccountField, SubAccountInput, Tenant, TenantAccountRow } from '../tenant-accounts.ts';

export function TenantPickPage({ ctx, tenants }: { ctx: PageContext; tenants: Tenant[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('tenant.accountsTitle')}>
      <p>{t('tenant.pick')}</p>
      <ul>
        {tenants.map((x) => <li><a href={`/tenant/accounts?tenant=${x.code}`}>{t('tenant.school', { school: x.name, code: x.code })}</a></li>)}
      </ul>
    </Layout>
  );
}

export interface TenantAccountsView {
  tenant: Tenant;
  list: { total: number; items: TenantAccountRow[] };
  page: number; pageSize: number;
  allowedDomains: string[];
  nationalIdRequired: boolean;
  successors: { id: number; username: string; name: string }[];
  canTransfer: boolean;
  info?: string; error?: string;
  values?: SubAccountInput; errors?: SubAccountErrors;
}

export interface SubFieldOptions { hint?: string; type?: 'email' | 'tel'; required?: boolean; autocomplete?: string; inputMode?: 'numeric' }

/** One field of seed 001's sub-account forms: label with "*" when required, hint, error. */
export function SubField({ ctx, name, label, value, error, domains, o = {} }: {
  ctx: PageContext; name: string; label: MessageKey; value: string; error?: MessageKey; domains: string; o?: SubFieldOptions;
}) {
  const { t } = ctx;
  const described = [o.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label for={name}>{t(label)}{o.required !== false && ' *'}</label>
      {o.hint && <span id={`${name}-hint`} class="hint">{o.hint}</span>}
      <input id={name} name={name} type={(o.type ?? 'text') as 'text'} value={value} required={o.required !== false} maxLength={100}
        autocomplete={o.autocomplete ?? 'off'} inputMode={o.inputMode} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
      {error && <span id={`${name}-error`} class="field-error">{t(error, { domains })}</span>}
    </div>
  );
}

function CreateForm({ ctx, v }: { ctx: PageContext; v: TenantAccountsView }) {
  const { t } = ctx;
  const prefix = `${v.tenant.code}_`;
  const domains = v.allowedDomains.join('、') || '—';
  const values: Partial<SubAccountInput> = v.values ?? { username: prefix };
  const field = (f: SubAccountField, label: MessageKey, o: SubFieldOptions = {}) =>
    <SubField ctx={ctx} name={f} label={label} value={values[f] ?? ''} error={v.errors?.[f]} domains={domains} o={o} />;
  return (
    <form method="post" action="/tenant/accounts" class="stack" aria-labelledby="create-h">
      <h2 id="create-h">{t('tenant.createH')}</h2>
      <CsrfField ctx={ctx} />
      <input type="hidden" name="tenant" value={v.tenant.code} />
      {field('username', 'tenant.username', { hint: t('tenant.usernameHint', { prefix }) })}
      {field('name', 'profile.field.name')}
      {field('department', 'profile.field.department')}
      {field('title', 'profile.field.title')}
      {field('officePhone', 'profile.field.officePhone', { type: 'tel', hint: t('tenant.phoneHint') })}
      {field('officeExt', 'profile.field.officeExt', { required: false, inputMode: 'numeric' })}
      {field('email', 'profile.field.email', { type: 'email', hint: t('tenant.emailHint', { domains }) })}
      {field('nationalId', 'profile.field.nationalId', { required: v.nationalIdRequired, hint: t('tenant.nationalIdHint') })}
      <button type="submit">{t('tenant.createSubmit')}</button>
    </form>
  );
}

function TransferForm({ ctx, v }: { ctx: PageContext; v: TenantAccountsView }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="transfer-h">
      <h2 id="transfer-h">{t('tenant.transferH')}</h2>
      <p>{t('tenant.transferIntro')}</p>
      {v.successors.length === 0 ? <p>{t('tenant.transferNone')}</p> : (
        <form method="post" action="/tenant/transfer" class="stack">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="tenant" value={v.tenant.code} />
          <div>
            <label for="successor">{t('tenant.successor')}</label>
            <select id="successor" name="successor" required>
              {v.successors.map((s) => <option value={String(s.id)}>{`${s.name}（${s.username}）`}</option>)}
            </select>
          </div>
          <div>
            <input id="confirm-transfer" name="confirm" type="checkbox" value="1" required />
            <label for="confirm-transfer">{t('tenant.transferConfirm')}</label>
          </div>
          <button type="submit">{t('tenant.transferSubmit')}</button>
        </form>
      )}
    </section>
  );
}

export function TenantAccountsPage({ ctx, v }: { ctx: PageContext; v: TenantAccountsView }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(v.list.total / v.pageSize));
  const pageHref = (p: number) => `/tenant/accounts?tenant=${v.tenant.code}&page=${p}`;
  return (
    <Layout ctx={ctx} title={t('tenant.accountsTitle')}>
      <p data-testid="tenant">{t('tenant.school', { school: v.tenant.name, code: v.tenant.code })}</p>
      {v.info && <Notice kind="info">{v.info}</Notice>}
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      <section aria-labelledby="list-h">
        <h2 id="list-h">{t('tenant.listH')}</h2>
        {v.list.total === 0 ? <p>{t('tenant.none')}</p> : (
          <table data-testid="tenant-accounts">
            <caption>{t('tenant.count', { n: v.list.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tenant.col.username')}</th><th scope="col">{t('profile.field.name')}</th>
                <th scope="col">{t('profile.field.department')}</th><th scope="col">{t('profile.field.title')}</th>
                <th scope="col">{t('home.state')}</th><th scope="col">{t('tenant.col.role')}</th><th scope="col">{t('tenant.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {v.list.items.map((a) => (
                <tr>
                  <td><a href={`/tenant/accounts/${a.id}?tenant=${v.tenant.code}`} aria-label={t('tenant.manageLabel', { username: a.username })}>{a.username}</a></td><td>{a.name}</td><td>{a.department ?? '—'}</td><td>{a.title ?? '—'}</td>
                  <td>{t(`state.${a.state}` as 'state.enabled')}</td>
                  <td>{t(a.isHolder ? 'tenant.role.main' : 'tenant.role.sub')}</td>
                  <td>
                    {!a.isHolder && a.state !== 'disabled' && (
                      <form method="post" action={`/tenant/accounts/${a.id}/disable`}>
                        <CsrfField ctx={ctx} />
                        <input type="hidden" name="tenant" value={v.tenant.code} />
                        <button type="submit" aria-label={t('tenant.disableLabel', { username: a.username })}>{t('tenant.disable')}</button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pages > 1 && (
          <nav aria-label={t('tenant.listH')}>
            {v.page > 1 && <a href={pageHref(v.page - 1)}>‹ {v.page - 1}</a>} {v.page} / {pages} {v.page < pages && <a href={pageHref(v.page + 1)}>{v.page + 1} ›</a>}
          </nav>
        )}
      </section>
      <CreateForm ctx={ctx} v={v} />
      {v.canTransfer && <TransferForm ctx={ctx} v={v} />}
    </Layout>
  );
}

export function TransferDonePage({ ctx, username }: { ctx: PageContext; username: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('tenant.transferH')}>
      <Notice kind="info">{t('tenant.transferred', { username })}</Notice>
      <p><a href="/">{t('nav.home')}</a></p>
    </Layout>
  );
}
