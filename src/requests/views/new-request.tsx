// The change-request forms (REQ-3, seed 002 D-06-09 / D-06-10 / D-06-11; ACC-4): each shows who
// will review it, takes a reason, and works without JavaScript. Errors come back per field. The
// fields of each are declared by its type (types/<type>.ts `page`); this draws them.
import type { ComponentChildren } from 'preact';
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { Field, FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { FormErrors, PageField } from '../types/definition.ts';
import { REQUEST_TYPES, type PageFormType } from '../types/index.ts';

export interface NewRequestView {
  type: PageFormType;
  values: Record<string, string | string[]>;
  errors: FormErrors;
  roles: { code: string; label: string }[];
  categories: string[];
  grants: { id: number; label: string }[];
}

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

/** One field of the type's page, as its file declares it (types/<type>.ts). */
function PageFieldView({ ctx, v, field }: { ctx: PageContext; v: NewRequestView; field: PageField }): ComponentChildren {
  const { t } = ctx;
  const { val, err, checked } = helpers({ ctx, v });
  switch (field.kind) {
    case 'text': {
      const notAsked = field.unlessAction !== undefined && val('action') === field.unlessAction;
      return <Field ctx={ctx} name={field.name} label={t(field.label)} hint={field.hint && t(field.hint)} value={field.echo === false || notAsked ? '' : val(field.name)}
        error={field.showError === false || notAsked ? undefined : err(field.name)} type={field.type} inputMode={field.inputMode} maxLength={field.maxLength}
        autocomplete={field.autocomplete} required={field.required} />;
    }
    case 'radios':
      return <Radios name={field.name} legend={t(field.legend)} value={val(field.name)} error={err(field.name)} options={field.options.map((o) => ({ value: o.value, label: t(o.label) }))} />;
    case 'checkboxes': {
      const options = field.from === 'roles' ? v.roles.map((r) => ({ value: r.code, label: r.label })) : v.categories.map((c) => ({ value: c, label: c }));
      return <Choices ctx={ctx} name={field.name} legend={t(field.legend)} options={options} checked={(c) => checked(field.name, c)} error={field.showError === false ? undefined : err(field.name)} />;
    }
    case 'grant': {
      const e = err(field.name);
      return (
        <FieldShell ctx={ctx} name={field.name} label={t(field.label)} error={e}>
          {v.grants.length === 0 ? <p id={field.name} class="hint">{t(field.none)}</p> : (
            <select id={field.name} name={field.name} aria-invalid={e ? 'true' : undefined} aria-describedby={describedBy(field.name, undefined, e)}>
              {v.grants.map((g) => <option value={String(g.id)} selected={val(field.name) === String(g.id)}>{g.label}</option>)}
            </select>
          )}
        </FieldShell>
      );
    }
    case 'group':
      return <fieldset><legend>{t(field.legend)}</legend>{field.fields.map((f) => <PageFieldView ctx={ctx} v={v} field={f} />)}</fieldset>;
    case 'effectiveDate':
      return <EffectiveDate ctx={ctx} v={v} />;
  }
}

export function NewRequestPage({ ctx, v }: { ctx: PageContext; v: NewRequestView }) {
  const { t } = ctx;
  const general = v.errors._ ?? v.errors.roles;
  const page = REQUEST_TYPES[v.type].page!;
  return (
    <Layout ctx={ctx} title={t(`request.type.${v.type}`)}>
      {Object.keys(v.errors).length > 0 && <Notice kind="error">{general ? t(general) : t('request.error.form')}</Notice>}
      <p>{t(page.intro)}</p>
      <p>{t('request.form.steps', { steps: REQUEST_TYPES[v.type].steps.map((s) => t(`request.step.${s}`)).join(' → ') })}</p>
      <form method="post" action={`/requests/new/${v.type}`} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        {page.fields.map((field) => <PageFieldView ctx={ctx} v={v} field={field} />)}
        <Reason ctx={ctx} v={v} />
        <button type="submit">{t('request.form.submit')}</button>
      </form>
      <p><a href="/requests">{t('request.back.mine')}</a></p>
    </Layout>
  );
}
