// A signed-in user's request forms (REQ-2, REQ-3, ACC-4) → submitRequest: reads the form (page or
// JSON API, same field names), checks what can be checked against the user's own unit, seals a
// national ID before it is stored, and submits in one transaction. Errors come back per field.
import type { Deps } from '../platform/deps.ts';
import type { Lang, MessageKey } from '../platform/web/messages.ts';
import { isMessageKey } from '../messages.ts';
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { validateProfile } from '../accounts/profile.ts';
import { isValidNationalId, maskNationalId, normaliseNationalId } from '../accounts/national-id.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { usernameProblem } from '../admin/accounts.ts';
import { LIVE_STATES } from './approvers.ts';
import { RequestInputError, submitRequest, type SubmitRequestInput } from './engine.ts';
import { REQUEST_TYPES, type RequestTypeCode } from './types.ts';

export type FormErrors = Record<string, MessageKey>;
export type SubmitOutcome = { ok: true; id: number } | { ok: false; errors: FormErrors };
type Form = Record<string, unknown>;

/** The types a signed-in user submits with a form (an application comes through src/requests/apply). */
export const FORM_TYPES = ['permission_add', 'permission_remove', 'registration_admin', 'user_change', 'one_day_password', 'profile_change'] as const satisfies readonly RequestTypeCode[];
export type FormType = (typeof FORM_TYPES)[number];
export const isFormType = (s: unknown): s is FormType => typeof s === 'string' && (FORM_TYPES as readonly string[]).includes(s);

const str = (v: unknown, max = 200): string => (typeof v === 'string' ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : '');
/** Check-box lists arrive as one string, an array, or (JSON) an array. */
export const list = (v: unknown): string[] => [v].flat().filter((x): x is string => typeof x === 'string').map((x) => x.trim().slice(0, 100)).filter(Boolean).slice(0, 100);
/**
 * The submitted fields to show again on a refused form: text, and lists of text, only. A JSON body
 * may nest arrays, and String() of a nested array recurses once per level (issue 9 item 7).
 */
export function formValues(body: Form, omit: string[]): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !omit.includes(k)).map(([k, v]) => [k,
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' || typeof v === 'number' ? String(v) : '']));
}
const keyOf = (s: string | null | undefined, fallback: MessageKey): MessageKey => (s && isMessageKey(s) ? s : fallback);

/** The fields of a new general user in a D-06-09 "add" request. */
export const NEW_USER_FIELDS = ['unitOid', 'newUsername', 'name', 'nationalId', 'birthMonth', 'birthDay', 'email', 'mobile', 'title', 'department'] as const;

/** The account of a D-06-09 "add", checked by its unit's rules; the national ID sealed. */
async function newUserPayload(deps: Deps, myUnit: string, form: Form, errors: FormErrors) {
  const v = Object.fromEntries(NEW_USER_FIELDS.map((k) => [k, str(form[k])])) as Record<(typeof NEW_USER_FIELDS)[number], string>;
  const unitOid = v.unitOid || myUnit;
  if (!isValidOid(unitOid) || !isWithin(unitOid, myUnit) || !await deps.db.selectFrom('orgs').select('oid').where('oid', '=', unitOid).executeTakeFirst()) {
    errors.unitOid = 'request.error.unit';
    return null;
  }
  const { policy } = await effectivePolicyFor(deps.db, unitOid);
  const r = validateProfile(v, policy);
  for (const [k, e] of Object.entries(r.errors)) errors[k] = keyOf(e, 'request.error.badInput');
  if (v.newUsername) {
    const u = await usernameProblem(deps.db, unitOid, v.newUsername);
    if (u) errors.newUsername = keyOf(u, 'request.error.badInput');
  } else if (policy['username.scheme'] !== 'national_id') errors.newUsername = 'profile.required';
  if (!r.profile || Object.keys(errors).length) return null;
  const nid = r.profile.nationalId;
  return {
    unitOid, username: v.newUsername, name: r.profile.name, birthMonth: v.birthMonth, birthDay: v.birthDay, email: r.profile.email ?? '', mobile: r.profile.mobile ?? '',
    title: r.profile.title ?? '', department: r.profile.department ?? '',
    nationalIdEnc: nid ? deps.keyring.encrypt(nid) : '', nationalIdMasked: nid ? maskNationalId(nid) : '',
  };
}

/** What the form asks, as the engine's input; null with `errors` filled when the form itself is wrong. */
async function toInput(deps: Deps, me: { id: number; unit_oid: string }, type: FormType, form: Form, errors: FormErrors): Promise<Omit<SubmitRequestInput, 'lang' | 'ip'> | null> {
  const base = { type, orgOid: me.unit_oid, requesterAccountId: me.id, subjectAccountId: me.id };
  const reason = str(form.reason, 500);
  const effectiveDate = REQUEST_TYPES[type].effectiveDate ? str(form.effectiveDate, 10) || null : null;
  const needReason = () => { if (!reason) errors.reason = 'request.error.reasonRequired'; };
  switch (type) {
    case 'permission_add': case 'permission_remove':
      return { ...base, payload: { role: str(form.role, 100) }, effectiveDate };
    case 'one_day_password':
      needReason();
      return { ...base, payload: { reason } };
    case 'registration_admin':
      needReason();
      return { ...base, payload: { action: str(form.action) === 'change' ? 'change' : 'designate', jurisdictionOid: str(form.jurisdictionOid), categories: list(form.categories), grantId: Number(str(form.grantId)) || null, reason }, effectiveDate };
    case 'profile_change': {
      needReason();
      const name = str(form.name, 100), unitOid = str(form.unitOid), rawId = str(form.nationalId, 20);
      const payload: Record<string, unknown> = { reason };
      if (name) {
        if (validateProfile({ name }, { 'email.allowedDomains': [], 'nationalId.required': false }).errors.name) errors.name = 'profile.name';
        payload.name = name;
      }
      if (unitOid) payload.unitOid = unitOid;
      if (rawId) {
        const nid = normaliseNationalId(rawId);
        if (!isValidNationalId(nid)) errors.nationalId = 'profile.nationalId';
        else { payload.nationalIdEnc = deps.keyring.encrypt(nid); payload.nationalIdMasked = maskNationalId(nid); }
      }
      return { ...base, payload };
    }
    case 'user_change': {
      needReason();
      const action = str(form.action);
      if (action === 'add') {
        const account = await newUserPayload(deps, me.unit_oid, form, errors);
        return account ? { ...base, orgOid: account.unitOid, subjectAccountId: null, payload: { action, account, roles: list(form.roles), reason } } : null;
      }
      if (action !== 'change' && action !== 'delete') { errors.action = 'request.error.badInput'; return null; }
      // The account changed or deleted: by username, inside the requester's own unit.
      const a = await findAccountByUsername(deps.db, str(form.username, 100));
      if (!a || !LIVE_STATES.includes(a.state) || !isWithin(a.unit_oid, me.unit_oid)) { errors.username = 'request.error.noSubject'; return null; }
      return { ...base, orgOid: a.unit_oid, subjectAccountId: a.id, payload: { action, addRoles: list(form.addRoles), removeRoles: list(form.removeRoles), reason }, effectiveDate };
    }
  }
}

export async function submitOwnRequest(deps: Deps, accountId: number, type: FormType, form: Form, lang: Lang, ip: string | null): Promise<SubmitOutcome> {
  const me = await deps.db.selectFrom('accounts').select(['id', 'unit_oid', 'state']).where('id', '=', accountId).executeTakeFirst();
  if (!me || !LIVE_STATES.includes(me.state)) return { ok: false, errors: { _: 'request.error.noSubject' } };
  const errors: FormErrors = {};
  const input = await toInput(deps, me, type, form, errors);
  if (!input || Object.keys(errors).length) return { ok: false, errors: Object.keys(errors).length ? errors : { _: 'request.error.badInput' } };
  try {
    const { id } = await deps.db.transaction().execute((trx) => submitRequest(trx, deps, { ...input, lang, ip }));
    return { ok: true, id };
  } catch (e) {
    if (e instanceof RequestInputError) return { ok: false, errors: { [e.field ?? '_']: e.messageKey } };
    throw e;
  }
}
