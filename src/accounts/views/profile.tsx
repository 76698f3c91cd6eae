import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { Account } from '../../db/types.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import type { FreeField } from '../service.ts';

export interface ProfileView {
  account: Account; maskedNationalId: string | null; unitName: string | null; allowedDomains: string[];
  values?: Partial<Record<FreeField, string>>; errors?: Partial<Record<string, string>>; info?: MessageKey;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/**
 * Profile maintenance (ACC-5): the free fields in a form; organisation, unit, name and national ID
 * shown locked with the note that a change request is needed (ACC-4). The ID only ever masked.
 */
export function ProfilePage({ ctx, v }: { ctx: PageContext; v: ProfileView }) {
  const { t } = ctx;
  const a = v.account;
  const domains = v.allowedDomains.join('、') || '—';
  const current: Record<FreeField, string> = {
    birthMonth: str(a.birth_month), birthDay: str(a.birth_day), email: str(a.email), mobile: str(a.mobile), title: str(a.title),
    department: str(a.department), address: str(a.address), officePhone: str(a.office_phone), officeExt: str(a.office_ext),
    fax: str(a.fax), staffCode: str(a.staff_code), postalCode: str(a.postal_code), ...v.values,
  };
  const err = (f: string) => v.errors?.[f];
  const field = (f: FreeField, label: MessageKey, opts: { type?: 'email' | 'tel' | 'text'; hint?: string; autocomplete?: string; inputMode?: 'numeric' } = {}) => {
    const e = err(f);
    const described = [opts.hint ? `${f}-hint` : '', e ? `${f}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div>
        <label for={f}>{t(label)}</label>
        {opts.hint && <span id={`${f}-hint`} class="hint">{opts.hint}</span>}
        <input id={f} name={f} type={(opts.type ?? 'text') as 'text'} value={current[f]} autocomplete={opts.autocomplete}
          inputMode={opts.inputMode} aria-invalid={e ? 'true' : undefined} aria-describedby={described} maxLength={200} />
        {e && <span id={`${f}-error`} class="field-error">{t(e as MessageKey, { domains })}</span>}
      </div>
    );
  };
  return (
    <Layout ctx={ctx} title={t('profile.edit')}>
      {v.info && <Notice kind="info">{t(v.info)}</Notice>}
      {v.errors && Object.keys(v.errors).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      <section aria-labelledby="locked-h">
        <h2 id="locked-h">{t('profile.locked')}</h2>
        <p class="hint">{t('profile.lockedNote')}</p>
        <p><a href="/requests/new/profile_change">{t('request.profileChange.link')}</a></p>
        <dl>
          <dt>{t('home.username')}</dt><dd>{a.username}</dd>
          <dt>{t('profile.field.unit')}</dt><dd>{v.unitName ? `${v.unitName}（${a.unit_oid}）` : a.unit_oid}</dd>
          <dt>{t('profile.field.name')}</dt><dd>{a.name}</dd>
          <dt>{t('profile.field.nationalId')}</dt><dd data-testid="national-id">{v.maskedNationalId ?? '—'}</dd>
          <dt>{t('home.state')}</dt><dd>{t(`state.${a.state}` as 'state.enabled')}</dd>
        </dl>
      </section>
      <form method="post" action="/profile" class="stack" aria-labelledby="free-h">
        <h2 id="free-h">{t('profile.free')}</h2>
        <CsrfField ctx={ctx} />
        {field('birthMonth', 'profile.field.birthMonth', { inputMode: 'numeric' })}
        {field('birthDay', 'profile.field.birthDay', { inputMode: 'numeric' })}
        {field('email', 'profile.field.email', { type: 'email', hint: t('profile.hint.email', { domains }), autocomplete: 'email' })}
        {field('mobile', 'profile.field.mobile', { type: 'tel', hint: t('profile.hint.mobile'), autocomplete: 'tel' })}
        {field('title', 'profile.field.title', { autocomplete: 'organization-title' })}
        {field('department', 'profile.field.department')}
        {field('officePhone', 'profile.field.officePhone', { type: 'tel' })}
        {field('officeExt', 'profile.field.officeExt', { inputMode: 'numeric' })}
        {field('fax', 'profile.field.fax', { type: 'tel' })}
        {field('postalCode', 'profile.field.postalCode', { inputMode: 'numeric', autocomplete: 'postal-code' })}
        {field('address', 'profile.field.address', { autocomplete: 'street-address' })}
        {field('staffCode', 'profile.field.staffCode')}
        <button type="submit">{t('profile.save')}</button>
      </form>
    </Layout>
  );
}
