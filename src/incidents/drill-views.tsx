// INC-7: the drill part of the incident page — the drill's end, and the drill report the agency's
// CISO approves with the review meeting; forms without JavaScript, with the CSRF token.
import { CsrfField, type PageContext } from '../platform/web/layout.tsx';
import { Field, FieldShell } from '../admin/views/fields.tsx';
import type { drillMay } from './drills.ts';

export type DrillMay = ReturnType<typeof drillMay>;

export function DrillSection({ ctx, id, may, late }: { ctx: PageContext; id: number; may: DrillMay; late: boolean }) {
  const { t } = ctx;
  if (!may.complete && !may.report) return null;
  return (
    <section aria-labelledby="drill-h">
      <h2 id="drill-h">{t('incidents.drill')}</h2>
      {may.complete && (
        <form method="post" action={`/incidents/${id}/drill-complete`} class="stack">
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="drill-note" label={t('incidents.action.note')} maxLength={2000} />
          <div><button type="submit">{t('incidents.drill.complete')}</button></div>
        </form>
      )}
      {may.report && (
        <form method="post" action={`/incidents/${id}/drill-report`} class="stack">
          <h3>{t('incidents.drill.report')}</h3>
          <CsrfField ctx={ctx} />
          <Field ctx={ctx} name="meetingAt" label={t('incidents.drill.meetingAt')} maxLength={10} required />
          <FieldShell ctx={ctx} name="meetingNotes" label={t('incidents.drill.meetingNotes')} required><textarea id="meetingNotes" name="meetingNotes" rows={3} maxLength={10000}></textarea></FieldShell>
          <FieldShell ctx={ctx} name="drill-summary" label={t('incidents.drill.summary')} required><textarea id="drill-summary" name="summary" rows={3} maxLength={10000}></textarea></FieldShell>
          {late && <Field ctx={ctx} name="drill-lateReason" label={t('incidents.form.lateReason')} maxLength={2000} />}
          <div><button type="submit">{t('incidents.drill.report')}</button></div>
        </form>
      )}
    </section>
  );
}
