// INC-2: the technical centre's form for a report made by phone (network or power down): the
// agency, the call's time and the awareness time (Taiwan time), level and what was said.
import { Layout, CsrfField, Notice, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { Field, FieldShell } from '../admin/views/fields.tsx';
import type { ProblemField } from './errors.ts';

export interface PhoneForm { agencyOid: string; title: string; level: string; awareAt: string; phoneAt: string; description: string }
export const emptyPhone = (): PhoneForm => ({ agencyOid: '', title: '', level: '', awareAt: '', phoneAt: '', description: '' });

export function PhoneFormPage({ ctx, f, errors, message }: { ctx: PageContext; f: PhoneForm; errors: Partial<Record<ProblemField | 'phoneAt' | 'agencyOid', string>>; message?: MessageKey }) {
  const { t } = ctx;
  const err = (k: string) => (errors[k as ProblemField] ? t(`incidents.problem.${errors[k as ProblemField]}` as MessageKey) : undefined);
  return (
    <Layout ctx={ctx} title={t('incidents.phone.title')}>
      {message && <Notice kind="error">{t(message)}</Notice>}
      <form method="post" action="/incidents/phone" class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <Field ctx={ctx} name="agencyOid" label={t('incidents.phone.agencyOid')} value={f.agencyOid} error={err('agencyOid')} required inputMode="decimal" />
        <Field ctx={ctx} name="title" label={t('incidents.form.title')} value={f.title} error={err('title')} required />
        <FieldShell ctx={ctx} name="level" label={t('incidents.form.level')} error={err('level')} required>
          <select id="level" name="level">{['', '1', '2', '3', '4'].map((n) => <option value={n} selected={f.level === n}>{n ? t('incidents.level.n', { n }) : t('incidents.level.none')}</option>)}</select>
        </FieldShell>
        <Field ctx={ctx} name="awareAt" label={t('incidents.form.awareAt')} value={f.awareAt} error={err('awareAt')} required maxLength={16} />
        <Field ctx={ctx} name="phoneAt" label={t('incidents.phone.phoneAt')} value={f.phoneAt} error={err('phoneAt')} required maxLength={16} />
        <FieldShell ctx={ctx} name="description" label={t('incidents.form.description')}>
          <textarea id="description" name="description" rows={4} maxLength={10000}>{f.description}</textarea>
        </FieldShell>
        <div><button type="submit">{t('incidents.phone.save')}</button></div>
      </form>
    </Layout>
  );
}
