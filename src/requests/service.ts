// A signed-in user's request forms (REQ-2, REQ-3, ACC-4) → submitRequest: the type reads its form
// (page or JSON API, same field names; types/<type>.ts fromForm), checking what can be checked
// against the user's own unit and sealing a national ID before it is stored; then it is submitted
// in one transaction. Errors come back per field.
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { LIVE_STATES } from './approvers-sql.ts';
import { RequestInputError, submitRequest } from './engine.ts';
import type { FormErrors, FormContext } from './types/definition.ts';
import { REQUEST_TYPES, type FormType } from './types/index.ts';
import { formText } from './types/shared.ts';
import { requesterOf } from './account-store.ts';

export type { FormErrors } from './types/definition.ts';
export { FORM_TYPES, isFormType, type FormType } from './types/index.ts';
export type SubmitOutcome = { ok: true; id: number } | { ok: false; errors: FormErrors };
type Form = Record<string, unknown>;

/** What the form asks, as the engine's input (the type reads its own fields); null with `errors` filled when the form itself is wrong. */
async function toInput(deps: Deps, me: { id: number; unit_oid: string }, type: FormType, form: Form, errors: FormErrors) {
  const decl = REQUEST_TYPES[type];
  const reason = formText(form.reason, 500);
  const x: FormContext = {
    deps, me, form, errors, reason,
    base: { type, orgOid: me.unit_oid, requesterAccountId: me.id, subjectAccountId: me.id },
    effectiveDate: decl.effectiveDate ? formText(form.effectiveDate, 10) || null : null,
    needReason: () => { if (!reason) errors.reason = 'request.error.reasonRequired'; },
  };
  return decl.fromForm ? decl.fromForm(x) : null;
}

export async function submitOwnRequest(deps: Deps, accountId: number, type: FormType, form: Form, lang: Lang, ip: string | null): Promise<SubmitOutcome> {
  const me = await requesterOf(deps.db, accountId);
  if (!me || !LIVE_STATES.includes(me.state)) return { ok: false, errors: { _: 'request.error.noSubject' } };
  const errors: FormErrors = {};
  const input = await toInput(deps, me, type, form, errors);
  if (!input || Object.keys(errors).length) return { ok: false, errors: Object.keys(errors).length ? errors : { _: 'request.error.badInput' } };
  try {
    const { id } = await deps.db.transaction().execute((trx) => submitRequest(trx, deps, { ...input, type, lang, ip }));
    return { ok: true, id };
  } catch (e) {
    if (e instanceof RequestInputError) return { ok: false, errors: { [e.field ?? '_']: e.messageKey } };
    throw e;
  }
}
