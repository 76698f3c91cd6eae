// What each request type checks when submitted (the payload it carries, whose it is, which systems
// it touches). Pure of HTTP; reads run in the submitting transaction. The steps are declared in
// types.ts; the executors that run on the final approval in executors.ts.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { LIVE_STATES } from './approvers.ts';
import type { RequestTypeCode } from './types.ts';

/** A refused submission: a message key, and the form field it is about when there is one. */
export class RequestInputError extends Error {
  constructor(readonly messageKey: MessageKey, readonly field?: string) { super(messageKey); }
}
const refuse = (key: MessageKey, field?: string): never => { throw new RequestInputError(key, field); };

export interface SubmitInput {
  type: RequestTypeCode; orgOid: string; requesterAccountId: number | null; subjectAccountId?: number | null;
  systems?: string[]; payload: Record<string, unknown>;
}

/** What the engine stores, after the type's checks. */
export interface Checked { subjectAccountId: number | null; systems: string[]; payload: Record<string, unknown> }

type Check = (trx: Db, deps: Deps, input: SubmitInput) => Promise<Checked>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const text = (v: unknown, max = 500): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** A live account whose unit lies inside the request's organisation. */
async function accountIn(trx: Db, id: unknown, orgOid: string, states = LIVE_STATES) {
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return refuse('request.error.noSubject');
  const a = await trx.selectFrom('accounts').select(['id', 'unit_oid', 'state', 'national_id_enc', 'birth_month', 'birth_day'])
    .where('id', '=', id).executeTakeFirst();
  if (!a || !states.includes(a.state) || !isWithin(a.unit_oid, orgOid)) return refuse('request.error.noSubject');
  return a;
}

/** The roles named, each registered; with their systems. */
async function rolesWithSystems(trx: Db, codes: string[]) {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await trx.selectFrom('roles').select(['code', 'system_code']).where('code', 'in', unique).execute();
  if (rows.length !== unique.length) return refuse('request.error.unknownRole', 'roles');
  return rows;
}

/** One pending request of this kind about this subject (and role) at a time. */
async function refuseDuplicate(trx: Db, types: RequestTypeCode[], subjectId: number, role?: string) {
  let q = trx.selectFrom('requests').select('id').where('status', 'in', ['pending', 'approved']).where('type', 'in', types)
    .where('subject_account_id', '=', subjectId);
  if (role) q = q.where(({ eb }) => eb(eb.ref('payload', '->>').key('role'), '=', role));
  if (await q.limit(1).executeTakeFirst()) refuse('request.error.duplicate');
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

const permission = (adding: boolean): Check => async (trx, _deps, input) => {
  const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
  const role = text(input.payload.role, 100);
  const [r] = await rolesWithSystems(trx, [role]);
  if (!r) return refuse('request.error.unknownRole', 'role');
  const held = await trx.selectFrom('role_grants').select('role_code').where('account_id', '=', subject.id).where('role_code', '=', role).executeTakeFirst();
  if (adding && held) refuse('request.error.roleHeld', 'role');
  if (!adding && !held) refuse('request.error.roleNotHeld', 'role');
  await refuseDuplicate(trx, ['permission_add', 'permission_remove'], subject.id, role);
  return { subjectAccountId: subject.id, systems: [r.system_code], payload: { role } };
};

export const CHECKS: Record<RequestTypeCode, Check> = {
  // REQ-1: the applications helper created the account as pending; it asks for these roles.
  async account_application(trx, _deps, input) {
    const accountId = input.payload.accountId;
    const a = await accountIn(trx, accountId, input.orgOid, ['pending']);
    const roles = await rolesWithSystems(trx, strings(input.payload.roles));
    if (roles.length === 0) refuse('request.error.noRoles', 'roles');
    await refuseDuplicate(trx, ['account_application'], a.id);
    return {
      subjectAccountId: a.id, systems: union(input.systems ?? [], roles.map((r) => r.system_code)),
      payload: { accountId: a.id, roles: roles.map((r) => r.code).sort() },
    };
  },

  permission_add: permission(true),
  permission_remove: permission(false),

  // D-06-10: designate the subject as registration administrator of a jurisdiction and categories,
  // or change one of its registration-administrator grants to new ones.
  async registration_admin(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    const action = input.payload.action === 'change' ? 'change' : 'designate';
    const jurisdictionOid = text(input.payload.jurisdictionOid, 200);
    if (!isValidOid(jurisdictionOid) || !await trx.selectFrom('orgs').select('oid').where('oid', '=', jurisdictionOid).executeTakeFirst()) {
      refuse('request.error.jurisdiction', 'jurisdictionOid');
    }
    const categories = [...new Set(strings(input.payload.categories).map((c) => c.trim()).filter(Boolean))].sort();
    if (categories.length === 0) refuse('request.error.categories', 'categories');
    const known = new Set((await trx.selectFrom('application_systems').select('category').distinct().execute()).map((r) => r.category));
    if (categories.some((c) => c !== '*' && !known.has(c))) refuse('request.error.categories', 'categories');
    let grantId: number | null = null;
    if (action === 'change') {
      const g = await trx.selectFrom('admin_grants').select('id').where('account_id', '=', subject.id)
        .where('kind', '=', 'registration_admin').where('id', '=', Number(input.payload.grantId) || 0).executeTakeFirst();
      if (!g) refuse('request.error.grant', 'grantId');
      grantId = g!.id;
    }
    await refuseDuplicate(trx, ['registration_admin'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { action, jurisdictionOid, categories, grantId, reason: text(input.payload.reason) } };
  },

  // D-06-09: add, change (roles) or delete a general user of the organisation.
  async user_change(trx, _deps, input) {
    const action = input.payload.action;
    const reason = text(input.payload.reason);
    if (action === 'add') {
      const account = input.payload.account;
      if (!account || typeof account !== 'object') return refuse('request.error.badInput');
      const roles = await rolesWithSystems(trx, strings(input.payload.roles));
      // The account's fields are checked by the unit's rules when submitted (service.ts) and again,
      // by the same rules, when the administrator executes (prepareAccount).
      return { subjectAccountId: null, systems: roles.map((r) => r.system_code), payload: { action, account, roles: roles.map((r) => r.code).sort(), reason } };
    }
    if (action !== 'change' && action !== 'delete') return refuse('request.error.badInput', 'action');
    const subject = await accountIn(trx, input.subjectAccountId, input.orgOid);
    if (subject.id === input.requesterAccountId && action === 'delete') refuse('request.error.self');
    await refuseDuplicate(trx, ['user_change'], subject.id);
    if (action === 'delete') return { subjectAccountId: subject.id, systems: [], payload: { action, reason } };
    const add = await rolesWithSystems(trx, strings(input.payload.addRoles));
    const remove = await rolesWithSystems(trx, strings(input.payload.removeRoles));
    if (add.length + remove.length === 0) refuse('request.error.noRoles', 'roles');
    const held = new Set((await trx.selectFrom('role_grants').select('role_code').where('account_id', '=', subject.id).execute()).map((r) => r.role_code));
    if (add.some((r) => held.has(r.code))) refuse('request.error.roleHeld', 'roles');
    if (remove.some((r) => !held.has(r.code))) refuse('request.error.roleNotHeld', 'roles');
    return {
      subjectAccountId: subject.id, systems: union(add.map((r) => r.system_code), remove.map((r) => r.system_code)),
      payload: { action, addRoles: add.map((r) => r.code).sort(), removeRoles: remove.map((r) => r.code).sort(), reason },
    };
  },

  // D-06-11: for the subject, who has no card today; the administrator enables it (AUTH-7).
  async one_day_password(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    // The one-day password is the initial-password scheme: it needs the birthday and the national ID.
    if (!subject.national_id_enc || !subject.birth_month || !subject.birth_day) refuse('request.error.oneDayData');
    await refuseDuplicate(trx, ['one_day_password'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { reason: text(input.payload.reason) } };
  },

  // ACC-4: the locked fields (unit, name, national ID), changed upstream. The new national ID is
  // sealed before it reaches here (service.ts) and kept only sealed and masked.
  async profile_change(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    const p = input.payload;
    const name = text(p.name, 100) || null;
    const unitOid = text(p.unitOid, 200) || null;
    const nationalIdEnc = text(p.nationalIdEnc, 1000) || null;
    const nationalIdMasked = nationalIdEnc ? text(p.nationalIdMasked, 20) : null;
    if (!name && !unitOid && !nationalIdEnc) refuse('request.error.noChange');
    if (unitOid && (!isValidOid(unitOid) || !await trx.selectFrom('orgs').select('oid').where('oid', '=', unitOid).executeTakeFirst())) refuse('request.error.unit', 'unitOid');
    await refuseDuplicate(trx, ['profile_change'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { name, unitOid, nationalIdEnc, nationalIdMasked, reason: text(p.reason) } };
  },
};
