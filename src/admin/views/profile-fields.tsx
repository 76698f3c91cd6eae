// The profile fields of the add and modify forms (ACC-1), in seed 003's order.
import type { PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { AccountErrors, AccountInput } from '../accounts.ts';
import { BirthdayFields, Field, errorText } from './fields.tsx';

export function ProfileFields({ ctx, values, errors, domains, birthdayRequired, emailRequired }: {
  ctx: PageContext; values: AccountInput; errors: AccountErrors; domains: string; birthdayRequired: boolean; emailRequired: boolean;
}) {
  const { t } = ctx;
  const err = (f: keyof AccountErrors) => (errors[f] ? errorText(ctx, errors[f]!, { domains }) : undefined);
  const f = (name: keyof AccountInput, label: MessageKey, extra: Partial<Parameters<typeof Field>[0]> = {}) =>
    <Field ctx={ctx} name={name} label={t(label)} value={values[name]} error={err(name)} {...extra} />;
  return (
    <>
      <BirthdayFields ctx={ctx} month={values.birthMonth ?? ''} day={values.birthDay ?? ''} error={err('birthMonth')} required={birthdayRequired} />
      {f('staffCode', 'profile.field.staffCode')}
      {f('title', 'profile.field.title', { autocomplete: 'organization-title' })}
      {f('department', 'profile.field.department')}
      {f('postalCode', 'profile.field.postalCode', { inputMode: 'numeric', maxLength: 6 })}
      {f('address', 'profile.field.address')}
      {f('email', 'profile.field.email', { type: 'email', hint: t('profile.hint.email', { domains }), required: emailRequired })}
      {f('officePhone', 'profile.field.officePhone', { type: 'tel' })}
      {f('officeExt', 'profile.field.officeExt', { inputMode: 'numeric', maxLength: 8 })}
      {f('mobile', 'profile.field.mobile', { type: 'tel', hint: t('profile.hint.mobile') })}
      {f('fax', 'profile.field.fax', { type: 'tel' })}
    </>
  );
}
