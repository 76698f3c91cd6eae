// The change-request forms (REQ-3, seed 002 D-06-09 / D-06-10 / D-06-11; ACC-4): each shows who
// will review it, takes a reason, and works without JavaScript. Errors come back per field.
import type { ComponentChildren } from 'preact';
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { Field, FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { FormErrors, FormType } from '../service.ts';
import { REQUEST_TYPES } from '../types.ts';

export interface NewRequestView {
  type: Exclude<FormType, 'permission_add' | 'permission_remove'>;
  values: Record<string, string | string[]>;
  errors: FormErrors;
  roles: { code: string; label: string }[];
  categories: string[];
  grants: { id: number; label: string }[];
}

const INTRO: Record<NewRequestView['type'], MessageKey> = {
  registration_admin: 'request.form.ra.intro', user_change: 'request.form.uc.intro', one_day_password: 'request.form.odp.intro', profile_change: 'request.form.pc.intro',
};

function helpers({ ctx, v }: { ctx: PageContext; v: NewRequestView }) {
  const val = (k: string) => { const x = v.values[k]; return Array.isArray(x) ? x[0] ?? '' : x ?? ''; };
  const err = (k: string) => (v.errors[k] ? ctx.t(v.errors[k]) : undefined);
  return { val, err, checked: (k: string, c: string) => [v.values[k] ?? []].flat().includes(c) };
}

function Choices({ ctx, name, legend, options, checked, error }: { ctx: PageContext; name: string; legend: string; options: { value: string; label: string }[]; checked: (v: string) => boolean; error?: string }) {
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <div><input type="checkbox" id={`${name}-${i}`} name={name} value={o.value} checked={checked(o.value)} /> <label for={`${name}-${i}`}>{o.label}</label></div>
      ))}
      {error && <span id={`${name}-error`} class="field-error">{error}</span>}
    </fieldset>
  );
}

function Radios({ name, legend, options, value, error }: { name: string; legend: string; options: { value: string; label: string }[]; value: string; error?: string }) {
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <div><input type="radio" id={`${name}-${i}`} name={name} value={o.value} checked={value === o.value || (!value && i === 0)} /> <label for={`${name}-${i}`}>{o.label}</label></div>
      ))}
      {error && <span id={`${name}-error`} class="field-error">{error}</span>}
    </fieldset>
  );
}

function Reason({ ctx, v }: { ctx: PageContext; v: NewRequestView }) {
  const { val, err } = helpers({ ctx, v });
  const e = err('reason');
  return (
    <FieldShell ctx={ctx} name="reason" label={ctx.t('request.form.reason')} error={e} required>
      <textarea id="reason" name="reason" rows={3} maxLength={500} aria-required="true" aria-invalid={e ? 'true' : undefined} aria-describedby={describedBy('reason', undefined, e)}>{val('reason')}</textarea>
    </FieldShell>
  );
}

function EffectiveDate({ ctx, v }: { ctx: PageContext; v: NewRequestView }) {
  const { val, err } = helpers({ ctx, v });
  return <Field ctx={ctx} name="effectiveDate" label={ctx.t('request.form.effectiveDate')} hint={ctx.t('request.form.effectiveDateHint')} value={val('effectiveDate')} error={err('effectiveDate')} maxLength={10} />;
}

function Body({ ctx, v }: { ctx: PageContext; v: NewRequestView }): ComponentChildren {
  const { t } = ctx;
  const { val, err, checked } = helpers({ ctx, v });
  const roleOptions = v.roles.map((r) => ({ value: r.code, label: r.label }));
  switch (v.type) {
    case 'registration_admin':
      return <>
        <Radios name="action" legend={t('request.form.action')} value={val('action')} error={err('action')}
          options={[{ value: 'designate', label: t('request.ra.designate') }, { value: 'change', label: t('request.ra.change') }]} />
        <FieldShell ctx={ctx} name="grantId" label={t('request.form.ra.grantId')} error={err('grantId')}>
          {v.grants.length === 0 ? <p id="grantId" class="hint">{t('request.form.ra.grantNone')}</p> : (
            <select id="grantId" name="grantId" aria-invalid={err('grantId') ? 'true' : undefined} aria-describedby={describedBy('grantId', undefined, err('grantId'))}>
              {v.grants.map((g) => <option value={String(g.id)} selected={val('grantId') === String(g.id)}>{g.label}</option>)}
            </select>
          )}
        </FieldShell>
        <Field ctx={ctx} name="jurisdictionOid" label={t('request.form.ra.jurisdiction')} value={val('jurisdictionOid')} error={err('jurisdictionOid')} inputMode="decimal" required />
        <Choices ctx={ctx} name="categories" legend={t('request.form.ra.categories')} options={v.categories.map((c) => ({ value: c, label: c }))} checked={(c) => checked('categories', c)} error={err('categories')} />
        <EffectiveDate ctx={ctx} v={v} />
      </>;
    case 'user_change':
      return <>
        <Radios name="action" legend={t('request.form.action')} value={val('action')} error={err('action')}
          options={[{ value: 'add', label: t('request.uc.add') }, { value: 'change', label: t('request.uc.change') }, { value: 'delete', label: t('request.uc.delete') }]} />
        <Field ctx={ctx} name="username" label={t('request.form.uc.target')} hint={t('request.form.uc.targetHint')} value={val('action') === 'add' ? '' : val('username')} error={val('action') === 'add' ? undefined : err('username')} />
        <fieldset>
          <legend>{t('request.form.uc.newUser')}</legend>
          <Field ctx={ctx} name="unitOid" label={t('request.field.unit')} hint={t('request.form.uc.unitHint')} value={val('unitOid')} error={err('unitOid')} inputMode="decimal" />
          <Field ctx={ctx} name="newUsername" label={t('request.field.username')} value={val('newUsername')} error={err('newUsername')} />
          <Field ctx={ctx} name="name" label={t('request.field.name')} value={val('name')} error={err('name')} />
          <Field ctx={ctx} name="nationalId" label={t('request.field.nationalId')} value={val('nationalId')} error={err('nationalId')} maxLength={20} />
          <Field ctx={ctx} name="birthMonth" label={t('profile.field.birthMonth')} value={val('birthMonth')} error={err('birthMonth')} inputMode="numeric" maxLength={2} />
          <Field ctx={ctx} name="birthDay" label={t('profile.field.birthDay')} value={val('birthDay')} inputMode="numeric" maxLength={2} />
          <Field ctx={ctx} name="email" label={t('request.field.email')} value={val('email')} error={err('email')} type="email" />
          <Field ctx={ctx} name="mobile" label={t('request.field.mobile')} value={val('mobile')} error={err('mobile')} type="tel" />
          <Field ctx={ctx} name="title" label={t('request.field.title')} value={val('title')} />
          <Field ctx={ctx} name="department" label={t('request.field.department')} value={val('department')} />
        </fieldset>
        <Choices ctx={ctx} name="roles" legend={t('request.form.uc.roles')} options={roleOptions} checked={(c) => checked('roles', c)} error={err('roles')} />
        <Choices ctx={ctx} name="addRoles" legend={t('request.form.uc.addRoles')} options={roleOptions} checked={(c) => checked('addRoles', c)} />
        <Choices ctx={ctx} name="removeRoles" legend={t('request.form.uc.removeRoles')} options={roleOptions} checked={(c) => checked('removeRoles', c)} />
        <EffectiveDate ctx={ctx} v={v} />
      </>;
    case 'profile_change':
      return <>
        <Field ctx={ctx} name="name" label={t('request.form.pc.name')} value={val('name')} error={err('name')} autocomplete="name" />
        <Field ctx={ctx} name="unitOid" label={t('request.form.pc.unit')} value={val('unitOid')} error={err('unitOid')} inputMode="decimal" />
        <Field ctx={ctx} name="nationalId" label={t('request.form.pc.nationalId')} value="" error={err('nationalId')} maxLength={20} />
      </>;
    case 'one_day_password':
      return null;
  }
}

export function NewRequestPage({ ctx, v }: { ctx: PageContext; v: NewRequestView }) {
  const { t } = ctx;
  const general = v.errors._ ?? v.errors.roles;
  return (
    <Layout ctx={ctx} title={t(`request.type.${v.type}`)}>
      {Object.keys(v.errors).length > 0 && <Notice kind="error">{general ? t(general) : t('request.error.form')}</Notice>}
      <p>{t(INTRO[v.type])}</p>
      <p>{t('request.form.steps', { steps: REQUEST_TYPES[v.type].steps.map((s) => t(`request.step.${s}`)).join(' → ') })}</p>
      <form method="post" action={`/requests/new/${v.type}`} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Body ctx={ctx} v={v} />
        <Reason ctx={ctx} v={v} />
        <button type="submit">{t('request.form.submit')}</button>
      </form>
      <p><a href="/requests">{t('request.back.mine')}</a></p>
    </Layout>
  );
}
