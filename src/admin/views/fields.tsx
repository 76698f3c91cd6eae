// Form pieces shared by the administrator pages: a labelled field with its required mark, hint
// and error (tied with aria-describedby), the unit select, and the page's error summary.
import type { ComponentChildren } from 'preact';
import { Notice, type PageContext } from '../../platform/web/layout.tsx';
import { isMessageKey, type MessageKey } from '../../messages.ts';
import type { AccountErrors, AccountField } from '../accounts.ts';

export interface FieldProps {
  ctx: PageContext; name: AccountField | string; label: string; value?: string; error?: string; hint?: string;
  required?: boolean; type?: 'text' | 'email' | 'tel'; inputMode?: 'numeric' | 'decimal'; autocomplete?: string; maxLength?: number;
}

/** A message key from a rule, in the page's language; unknown text shown as it is. */
export const errorText = (ctx: PageContext, e: string, vars: Record<string, string> = {}) => (isMessageKey(e) ? ctx.t(e, vars) : e);

/** "*" as seed 003 marks required fields; screen readers hear aria-required on the input instead. */
export function Req({ ctx }: { ctx: PageContext }) {
  return <span class="req" aria-hidden="true" title={ctx.t('admin.requiredMark')}>*</span>;
}

export function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function FieldShell({ ctx, name, label, hint, error, required, children }: {
  ctx: PageContext; name: string; label: string; hint?: string; error?: string; required?: boolean; children: ComponentChildren;
}) {
  return (
    <div>
      <label for={name}>{label}{required && <Req ctx={ctx} />}</label>
      {hint && <span id={`${name}-hint`} class="hint">{hint}</span>}
      {children}
      {error && <span id={`${name}-error`} class="field-error">{error}</span>}
    </div>
  );
}

/** Server-side validation only (no `required` attribute), so every error comes localised from the server. */
export function Field(p: FieldProps) {
  return (
    <FieldShell ctx={p.ctx} name={p.name} label={p.label} hint={p.hint} error={p.error} required={p.required}>
      <input id={p.name} name={p.name} type={(p.type ?? 'text') as 'text'} value={p.value ?? ''} maxLength={p.maxLength ?? 200}
        inputMode={p.inputMode} autocomplete={p.autocomplete ?? 'off'} aria-required={p.required ? 'true' : undefined}
        aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy(p.name, p.hint, p.error)} />
    </FieldShell>
  );
}

export interface UnitOption { oid: string; name: string }

export function UnitSelect({ ctx, units, value, error }: { ctx: PageContext; units: UnitOption[]; value: string; error?: string }) {
  const hint = ctx.t('admin.unitHint');
  return (
    <FieldShell ctx={ctx} name="unitOid" label={ctx.t('admin.unit')} hint={hint} error={error} required>
      <select id="unitOid" name="unitOid" aria-required="true" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy('unitOid', hint, error)}>
        {units.map((u) => <option value={u.oid} selected={u.oid === value}>{`${u.oid} ${u.name}`}</option>)}
      </select>
    </FieldShell>
  );
}

/** Birth month and day side by side, in a group named by its legend. */
export function BirthdayFields({ ctx, month, day, error, hint, required }: { ctx: PageContext; month: string; day: string; error?: string; hint?: string; required?: boolean }) {
  const described = describedBy('birthMonth', hint, error);
  return (
    <fieldset class="inline" aria-describedby={described}>
      <legend>{ctx.t('admin.birthday')}{required && <Req ctx={ctx} />}</legend>
      {hint && <span id="birthMonth-hint" class="hint">{hint}</span>}
      <label for="birthMonth">{ctx.t('admin.month')}</label>
      <input id="birthMonth" name="birthMonth" value={month} inputMode="numeric" maxLength={2} size={3} autocomplete="off"
        aria-required={required ? 'true' : undefined} aria-invalid={error ? 'true' : undefined} />
      <label for="birthDay">{ctx.t('admin.day')}</label>
      <input id="birthDay" name="birthDay" value={day} inputMode="numeric" maxLength={2} size={3} autocomplete="off"
        aria-required={required ? 'true' : undefined} aria-invalid={error ? 'true' : undefined} />
      {error && <span id="birthMonth-error" class="field-error">{error}</span>}
    </fieldset>
  );
}

/** The summary at the top of a refused form, with role="alert" so it is announced. */
export function FormErrors({ ctx, errors }: { ctx: PageContext; errors?: AccountErrors }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return <Notice kind="error">{ctx.t('error.badRequest')}</Notice>;
}

/** An info notice from a whitelisted `done` key. */
export function Done({ ctx, k, vars }: { ctx: PageContext; k?: MessageKey; vars?: Record<string, string | number> }) {
  return k ? <Notice kind="info">{ctx.t(k, vars)}</Notice> : null;
}
