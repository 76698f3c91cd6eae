// 公務員新增作業 (ADM-3, seed 003 section 七): the jurisdiction and agency come from the
// administrator's grant and are shown, not typed; required fields carry "*"; the unit policy's
// initial-password scheme is stated. Two steps, so that it works without JavaScript (issue 9
// item 10): first the unit, searched by name, code or OID inside the jurisdiction; then the form
// with that unit's own rules (activation, username, required fields).
import { Layout, CsrfField, type PageContext } from '../../platform/web/layout.tsx';
import type { Policy } from '../../orgs/policy.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { AccountErrors, AccountInput, Scheme, UnitChoice } from '../accounts.ts';
import { Field, FormErrors, errorText } from './fields.tsx';
import { ProfileFields } from './profile-fields.tsx';

export interface GrantOrg { jurisdictionOid: string; name: string | null; agencyCode: string | null }

export interface AddView {
  grants: GrantOrg[]; unit: UnitChoice; values: AccountInput; errors?: AccountErrors;
  scheme: Scheme; usernameScheme: Policy['username.scheme']; nationalIdRequired: boolean; domains: string;
}

function GrantDetails({ ctx, grants }: { ctx: PageContext; grants: GrantOrg[] }) {
  const { t } = ctx;
  return (
    <dl>
      {grants.map((g) => (
        <>
          <dt>{t('admin.jurisdiction')}</dt><dd class="oid">{g.jurisdictionOid}</dd>
          <dt>{t('admin.agencyName')}</dt><dd>{g.name ?? '—'}</dd>
          <dt>{t('admin.agencyCode')}</dt><dd class="oid">{g.agencyCode ?? '—'}</dd>
        </>
      ))}
    </dl>
  );
}

export interface ChooseUnitView { grants: GrantOrg[]; q: string; items: UnitChoice[]; more: boolean; error?: MessageKey | string }

/** Step 1: the OID picker (ORG-2), a GET form, so the results are a page of links. */
export function ChooseUnitPage({ ctx, v }: { ctx: PageContext; v: ChooseUnitView }) {
  const { t } = ctx;
  const hintId = 'unit-q-hint';
  return (
    <Layout ctx={ctx} title={t('admin.accounts.new')}>
      <GrantDetails ctx={ctx} grants={v.grants} />
      <h2 id="pick-h">{t('admin.pick.title')}</h2>
      {v.error && <p class="notice error" role="alert">{errorText(ctx, v.error)}</p>}
      <form method="get" action="/admin/accounts/new" class="stack" role="search" aria-labelledby="pick-h">
        <div>
          <label for="unit-q">{t('admin.pick.query')}</label>
          <span id={hintId} class="hint">{t('admin.pick.hint')}</span>
          <input id="unit-q" name="q" value={v.q} maxLength={100} autocomplete="off" aria-describedby={hintId} />
        </div>
        <button type="submit">{t('admin.pick.search')}</button>
      </form>
      {v.items.length === 0 ? <p>{t('admin.pick.none')}</p> : (
        <table>
          <caption>{t(v.q ? 'admin.pick.results' : 'admin.pick.all', { n: v.items.length })}</caption>
          <thead><tr>
            <th scope="col">{t('admin.pick.name')}</th><th scope="col">{t('admin.unit')}</th>
            <th scope="col">{t('admin.agencyCode')}</th><th scope="col">{t('admin.pick.tenantCode')}</th><th scope="col">{t('admin.pick.choose')}</th>
          </tr></thead>
          <tbody>
            {v.items.map((u) => (
              <tr>
                <th scope="row">{u.name}</th><td class="oid">{u.oid}</td><td>{u.agencyCode ?? '—'}</td><td>{u.tenantCode ?? '—'}</td>
                <td><a href={`/admin/accounts/new?unit=${encodeURIComponent(u.oid)}`} aria-label={t('admin.pick.chooseUnit', { name: u.name })}>{t('admin.pick.choose')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {v.more && <p class="hint">{t('admin.pick.more', { n: v.items.length })}</p>}
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}

/** Step 2: the form for one unit, with that unit's rules. */
export function AddAccountPage({ ctx, v }: { ctx: PageContext; v: AddView }) {
  const { t } = ctx;
  const errors = v.errors ?? {};
  const err = (f: keyof AccountErrors) => (errors[f] ? errorText(ctx, errors[f]!) : undefined);
  const birthday = v.scheme === 'birthday_national_id';
  const usernameHint = v.usernameScheme === 'tenant_prefixed' && v.unit.tenantCode
    ? t('admin.usernameHint.tenantFor', { code: v.unit.tenantCode }) : t(`admin.usernameHint.${v.usernameScheme}`);
  return (
    <Layout ctx={ctx} title={t('admin.accounts.new')}>
      <FormErrors ctx={ctx} errors={v.errors} />
      <GrantDetails ctx={ctx} grants={v.grants} />
      <section aria-labelledby="unit-h">
        <h2 id="unit-h">{t('admin.pick.chosen')}</h2>
        <p data-testid="unit">{v.unit.name} <span class="oid">{v.unit.oid}</span></p>
        {errors.unitOid && <p class="field-error">{err('unitOid')}</p>}
        <p><a href="/admin/accounts/new">{t('admin.pick.change')}</a></p>
      </section>
      <section aria-labelledby="scheme-h" class="notice info">
        <h2 id="scheme-h">{t('admin.scheme')}</h2>
        <p data-scheme={v.scheme}>{t(`admin.scheme.${v.scheme}`)}</p>
        <p class="hint">{t(`admin.schemeNote.${v.scheme}`)}</p>
      </section>
      <p class="hint">{t('admin.required')}</p>
      <form method="post" action="/admin/accounts" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" id="unitOid" name="unitOid" value={v.unit.oid} />
        <Field ctx={ctx} name="name" label={t('profile.field.name')} value={v.values.name} error={err('name')} required autocomplete="off" />
        <Field ctx={ctx} name="nationalId" label={t('profile.field.nationalId')} value={v.values.nationalId} error={err('nationalId')}
          required={v.nationalIdRequired || birthday} maxLength={20} />
        <Field ctx={ctx} name="username" label={t('admin.username')} value={v.values.username} error={err('username')}
          hint={usernameHint} required={v.usernameScheme !== 'national_id'} maxLength={100} />
        {/* ACC-2: filled in while typing by app.js (progressive enhancement); the submit check stays. */}
        <p id="username-check" class="hint" aria-live="polite" data-username-check="/admin/accounts/username-check"></p>
        <ProfileFields ctx={ctx} values={v.values} errors={errors} domains={v.domains} birthdayRequired={birthday} emailRequired={!birthday} />
        <button type="submit">{t('admin.save')}</button>
      </form>
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}
