// INC-5: the closure part of the incident page — where the closure stands, the forms for damage
// control or recovery, the closure report (every required item marked), its review, the
// investigation report, and links to both PDFs. Forms work without JavaScript and carry the CSRF token.
import { CsrfField, Notice, type PageContext } from '../platform/web/layout.tsx';
import type { MessageKey } from '../platform/web/messages.ts';
import { FieldShell } from '../admin/views/fields.tsx';
import { CLOSURE_ITEMS, INVESTIGATION_ITEMS, ITEM_MAX, closureStage, requiredItems, type ReportKind } from './reports.ts';
import type { closureMay } from './closure.ts';
import type { ProblemField } from './errors.ts';

export type ClosureMay = ReturnType<typeof closureMay>;
interface Ev { kind: string; at: Date; payload: unknown }

function ItemsForm({ ctx, id, kind, level, values, errors, late }: {
  ctx: PageContext; id: number; kind: ReportKind; level: number | null; values: Record<string, string>; errors: Partial<Record<ProblemField, string>>; late: boolean;
}) {
  const { t } = ctx;
  const required = new Set(requiredItems(kind, level));
  const keys = kind === 'closure' ? CLOSURE_ITEMS : INVESTIGATION_ITEMS;
  const title: MessageKey = kind === 'closure' ? 'incidents.closure.submit' : 'incidents.closure.investigation';
  return (
    <form method="post" action={`/incidents/${id}/${kind}`} class="stack">
      <h3>{t(title)}</h3>
      <p class="hint">{t('incidents.closure.requiredNote')}</p>
      <CsrfField ctx={ctx} />
      {keys.filter((k) => k !== 'cisoMeeting' || required.has(k)).map((k) => {
        const name = `${kind}-${k}`;
        const err = errors[k as ProblemField];
        return (
          <FieldShell ctx={ctx} name={name} label={`${t(`incidents.item.${k}` as MessageKey)}${required.has(k) ? `（${t('incidents.problem.required')}）` : ''}`} error={err}>
            <textarea id={name} name={k} rows={3} maxLength={ITEM_MAX} aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `${name}-error` : undefined}>{values[k] ?? ''}</textarea>
          </FieldShell>
        );
      })}
      {late && <FieldShell ctx={ctx} name={`${kind}-lateReason`} label={t('incidents.form.lateReason')} error={errors.lateReason}>
        <input id={`${kind}-lateReason`} name="lateReason" type="text" maxLength={2000} />
      </FieldShell>}
      <div><button type="submit">{t(title)}</button></div>
    </form>
  );
}

export interface ClosureForm { kind: ReportKind; values: Record<string, string>; errors: Partial<Record<ProblemField, string>> }

export function ClosureSection({ ctx, id, level, events, may, overdue, form }: {
  ctx: PageContext; id: number; level: number | null; events: Ev[]; may: ClosureMay; overdue: (rule: string) => boolean; form?: ClosureForm;
}) {
  const { t } = ctx;
  const stage = closureStage(events);
  const returned = [...events].reverse().find((e) => e.kind === 'closure_returned' || e.kind === 'closure_submitted');
  const valuesOf = (k: ReportKind) => (form?.kind === k ? form.values : {});
  const errorsOf = (k: ReportKind) => (form?.kind === k ? form.errors : {});
  return (
    <section aria-labelledby="closure-h">
      <h2 id="closure-h">{t('incidents.closure.title')}</h2>
      <p data-closure-stage={stage}>{t(`incidents.closure.stage.${stage}` as MessageKey)}</p>
      {(may.closurePdf || may.investigationPdf) && (
        <ul>
          {may.closurePdf && <li><a href={`/incidents/${id}/closure.pdf`}>{t('incidents.closure.closurePdf')}</a></li>}
          {may.investigationPdf && <li><a href={`/incidents/${id}/investigation.pdf`}>{t('incidents.closure.investigationPdf')}</a></li>}
        </ul>
      )}
      {may.contain && (
        <form method="post" action={`/incidents/${id}/contained`} class="stack">
          <h3>{t('incidents.closure.contain')}</h3>
          <CsrfField ctx={ctx} />
          <FieldShell ctx={ctx} name="contain-note" label={t('incidents.closure.containNote')} required error={form?.errors.note}>
            <textarea id="contain-note" name="note" rows={3} maxLength={ITEM_MAX} aria-required="true"></textarea>
          </FieldShell>
          {overdue('contain') && <FieldShell ctx={ctx} name="contain-lateReason" label={t('incidents.form.lateReason')}><input id="contain-lateReason" name="lateReason" type="text" maxLength={2000} /></FieldShell>}
          <div><button type="submit">{t('incidents.closure.contain')}</button></div>
        </form>
      )}
      {may.closure && returned?.kind === 'closure_returned' && <Notice kind="warning">{t('incidents.closure.resubmitNote')} {(returned.payload as { note?: string }).note ?? ''}</Notice>}
      {may.closure && <ItemsForm ctx={ctx} id={id} kind="closure" level={level} values={valuesOf('closure')} errors={errorsOf('closure')} late={overdue('closure')} />}
      {may.closureReview && (
        <form method="post" action={`/incidents/${id}/closure-review`} class="stack">
          <h3>{t('incidents.closure.review')}</h3>
          <CsrfField ctx={ctx} />
          <fieldset>
            <legend>{t('incidents.closure.decision')}</legend>
            <div><input type="radio" id="decision-approve" name="decision" value="approve" checked /> <label for="decision-approve">{t('incidents.closure.approve')}</label></div>
            <div><input type="radio" id="decision-return" name="decision" value="return" /> <label for="decision-return">{t('incidents.closure.return')}</label></div>
          </fieldset>
          <FieldShell ctx={ctx} name="closure-review-note" label={t('incidents.closure.reviewNote')} error={form?.errors.reason}>
            <textarea id="closure-review-note" name="note" rows={2} maxLength={2000}></textarea>
          </FieldShell>
          {overdue('closure-review') && <FieldShell ctx={ctx} name="closure-review-lateReason" label={t('incidents.form.lateReason')}><input id="closure-review-lateReason" name="lateReason" type="text" maxLength={2000} /></FieldShell>}
          <div><button type="submit">{t('incidents.closure.review')}</button></div>
        </form>
      )}
      {may.investigation && <ItemsForm ctx={ctx} id={id} kind="investigation" level={level} values={valuesOf('investigation')} errors={errorsOf('investigation')} late={overdue('investigation')} />}
    </section>
  );
}
