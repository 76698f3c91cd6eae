// Pieces several request types use (REQ-1..3, ACC-4, AUTH-7, ADM-7): reading payloads and forms,
// the submission checks on accounts and roles, the role changes an approval makes (each asked of
// `authorize` for the deciding approver), erasing an account, and roles by name for people.
import type { AuditAction } from '../../platform/audit-actions.ts';
import type { Db } from '../../db/index.ts';
import type { Account } from '../../db/types.ts';
import type { Lang, MessageKey } from '../../platform/web/messages.ts';
import { audit } from '../../platform/audit.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { eraseAccounts } from '../../admin/account-actions.ts';
import { isWithin } from '../../orgs/oid.ts';
import { maskUsername } from '../../auth/mask.ts';
import { LIVE_STATES } from '../approvers-sql.ts';
import type { RequestRow } from '../tables.ts';
import { hasOpenRequest } from '../request-store.ts';
import { findAccount, subjectOf } from '../account-store.ts';
import { grantRole, holdsRole, revokeRole, roleCategories, roleNameRows, rolesByCode } from '../role-store.ts';
import { ExecutionRefused, RequestInputError, type Checked, type DescribeContext, type ExecContext, type FormContext, type LabelledField, type SubmitInput } from './definition.ts';

// ---- Reading ----

/** The request's payload as stored. */
export const payloadOf = (r: RequestRow) => r.payload as Record<string, unknown>;
/** The strings of a list (anything else dropped). */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Text from a payload, trimmed and cut to `max`. */
export const text = (v: unknown, max = 500): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
/** A value shown as text ('' for none). */
export const shown = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
/** A form field as text, cut to `max`. */
export const formText = (v: unknown, max = 200): string => (typeof v === 'string' ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : '');
/** Check-box lists arrive as one string, an array, or (JSON) an array. */
export const formList = (v: unknown): string[] => [v].flat().filter((x): x is string => typeof x === 'string').map((x) => x.trim().slice(0, 100)).filter(Boolean).slice(0, 100);
export const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();
/** What the audit events of an executed request name it by. */
export const via = (r: RequestRow) => ({ requestId: r.id, requestType: r.type });

// ---- Submission checks ----

export const refuseInput = (key: MessageKey, field?: string): never => { throw new RequestInputError(key, field); };

/** A live account whose unit lies inside the request's organisation. */
export async function accountIn(trx: Db, id: unknown, orgOid: string, states = LIVE_STATES) {
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return refuseInput('request.error.noSubject');
  const a = await subjectOf(trx, id);
  if (!a || !states.includes(a.state) || !isWithin(a.unit_oid, orgOid)) return refuseInput('request.error.noSubject');
  return a;
}

/** The roles named, each registered; with their systems. */
export async function rolesWithSystems(trx: Db, codes: string[]) {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await rolesByCode(trx, unique);
  if (rows.length !== unique.length) return refuseInput('request.error.unknownRole', 'roles');
  return rows;
}

/** One pending request of this kind about this subject (and role) at a time. */
export async function refuseDuplicate(trx: Db, types: string[], subjectId: number, role?: string) {
  if (await hasOpenRequest(trx, types, subjectId, role)) refuseInput('request.error.duplicate');
}

// ---- Execution ----

export const refuseExecution = (key: MessageKey): never => { throw new ExecutionRefused(key); };

export async function liveAccount(trx: Db, id: number | null, states = LIVE_STATES): Promise<Account> {
  const a = id === null ? undefined : await findAccount(trx, id);
  if (!a || !states.includes(a.state)) return refuseExecution('request.exec.subjectGone');
  return a;
}

/** Each role with its system's category; every one must be grantable by the approver on the account's unit. */
export async function grantableRoles(trx: Db, actor: Actor, unitOid: string, codes: string[]) {
  if (codes.length === 0) return [];
  const rows = await roleCategories(trx, codes);
  if (rows.length !== new Set(codes).size) refuseExecution('request.exec.roleGone');
  if (rows.some((r) => !authorize(actor, 'role.assign', { oid: unitOid, category: r.category }))) refuseExecution('request.exec.notAllowed');
  return rows;
}

export async function giveRoles(trx: Db, x: ExecContext, a: Account, codes: string[]) {
  const rows = await grantableRoles(trx, x.actor, a.unit_oid, codes);
  for (const r of rows) {
    if (await grantRole(trx, a.id, r.code, x.actor.accountId, x.now)) await audit(trx, x.now, { actor: x.actor.accountId, action: 'role.assign', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { role: r.code, category: r.category, ...via(x.r) } });
  }
}

export async function takeRoles(trx: Db, x: ExecContext, a: Account, codes: string[]) {
  const rows = await grantableRoles(trx, x.actor, a.unit_oid, codes);
  for (const r of rows) {
    if (await revokeRole(trx, a.id, r.code)) await audit(trx, x.now, { actor: x.actor.accountId, action: 'role.remove', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { role: r.code, category: r.category, ...via(x.r) } });
  }
}

/** Erases the account (a tombstone stays) with its audit event. */
export async function tombstone(trx: Db, x: ExecContext, a: Account, action: AuditAction, extra: Record<string, unknown> = {}) {
  await eraseAccounts(trx, x.deps, [a], x.now);
  await audit(trx, x.now, { actor: x.actor.accountId, action, targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { username: maskUsername(a.username_norm), before: a.state, ...via(x.r), ...extra } });
}

// ---- Describing ----

/** Roles by their system's and their own name, in the reader's language. */
export async function roleNames(db: Db, codes: string[], lang: Lang): Promise<string> {
  if (codes.length === 0) return '—';
  const rows = await roleNameRows(db, codes);
  return codes.map((c) => {
    const r = rows.find((x) => x.code === c);
    // Names only (issue 9 item 18): the role's code means nothing to the people reading the request.
    return r ? (lang === 'en' ? `${r.se} — ${r.name_en}` : `${r.sz}－${r.name_zh}`) : c;
  }).join(lang === 'en' ? '; ' : '；');
}

// ---- Permissions (REQ-2 申請權限 / 申請刪除權限) ----

/** A permission request: about the subject (or the requester), one registered role, held or not as `adding` requires. */
export async function checkPermission(trx: Db, input: SubmitInput, adding: boolean): Promise<Checked> {
  const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
  const role = text(input.payload.role, 100);
  const [r] = await rolesWithSystems(trx, [role]);
  if (!r) return refuseInput('request.error.unknownRole', 'role');
  const held = await holdsRole(trx, subject.id, role);
  if (adding && held) refuseInput('request.error.roleHeld', 'role');
  if (!adding && !held) refuseInput('request.error.roleNotHeld', 'role');
  await refuseDuplicate(trx, ['permission_add', 'permission_remove'], subject.id, role);
  return { subjectAccountId: subject.id, systems: [r.system_code], payload: { role } };
}

export async function describePermission(x: DescribeContext, adding: boolean): Promise<LabelledField[]> {
  return [...x.who, x.f('request.field.change', x.t(adding ? 'request.permission.add' : 'request.permission.remove')),
    x.f('request.field.role', await roleNames(x.deps.db, [shown(x.q.role)], x.lang))];
}

/** The permissions page (/requests/permissions) names the role; a removal may carry an effective date. */
export const permissionFromForm = async (x: FormContext): Promise<SubmitInput> =>
  ({ ...x.base, payload: { role: formText(x.form.role, 100) }, effectiveDate: x.effectiveDate });
