// 公務員新增作業 (ADM-3, seed 003 section 七): the jurisdiction and agency come from the
// administrator's grant and are shown, not typed; the unit is chosen among the units of the
// jurisdiction; required fields carry "*"; the unit policy's initial-password scheme is stated.
import { Layout, CsrfField, type PageContext } from '../../platform/web/layout.tsx';
import type { Policy } from '../../orgs/policy.ts';
import type { AccountErrors, AccountInput, Scheme } from '../accounts.ts';
import { Field, FormErrors, UnitSelect, errorText, type UnitOption } from './fields.tsx';
import { ProfileFields } from './profile-fields.tsx';

export interface GrantOrg { jurisdictionOid: string; name: string | null; agencyCode: string | null }

export interface AddView {
  grants: GrantOrg[]; units: UnitOption[]; values: AccountInput; errors?: AccountErrors;
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

export function AddAccountPage({ ctx, v }: { ctx: PageContext; v: AddView }) {
  const { t } = ctx;
  const errors = v.errors ?? {};
  const err = (f: keyof AccountErrors) => (errors[f] ? errorText(ctx, errors[f]!) : undefined);
  const birthday = v.scheme === 'birthday_national_id';
  return (
    <Layout ctx={ctx} title={t('admin.accounts.new')}>
      <FormErrors ctx={ctx} errors={v.errors} />
      <GrantDetails ctx={ctx} grants={v.grants} />
      <section aria-labelledby="scheme-h" class="notice info">
        <h2 id="scheme-h">{t('admin.scheme')}</h2>
        <p data-scheme={v.scheme}>{t(`admin.scheme.${v.scheme}`)}</p>
        <p class="hint">{t('admin.schemeNote')}</p>
      </section>
      <p class="hint">{t('admin.required')}</p>
      <form method="post" action="/admin/accounts" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <UnitSelect ctx={ctx} units={v.units} value={v.values.unitOid ?? ''} error={err('unitOid')} />
        <Field ctx={ctx} name="name" label={t('profile.field.name')} value={v.values.name} error={err('name')} required autocomplete="off" />
        <Field ctx={ctx} name="nationalId" label={t('profile.field.nationalId')} value={v.values.nationalId} error={err('nationalId')}
          required={v.nationalIdRequired || birthday} maxLength={20} />
        <Field ctx={ctx} name="username" label={t('admin.username')} value={v.values.username} error={err('username')}
          hint={t(`admin.usernameHint.${v.usernameScheme}`)} required={v.usernameScheme !== 'national_id'} maxLength={100} />
        {/* ACC-2: filled in while typing by app.js (progressive enhancement); the submit check stays. */}
        <p id="username-check" class="hint" aria-live="polite" data-username-check="/admin/accounts/username-check"></p>
        <ProfileFields ctx={ctx} values={v.values} errors={errors} domains={v.domains} birthdayRequired={birthday} emailRequired={!birthday} />
        <button type="submit">{t('admin.save')}</button>
      </form>
      <p><a href="/admin">{t('admin.title')}</a></p>
    </Layout>
  );
}
