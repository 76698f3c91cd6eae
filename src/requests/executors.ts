// What runs when the last step of a request is approved (REQ-1..3, ACC-4, AUTH-7), and what a
// rejection undoes. Each executor runs inside the decision's transaction, so the decision and its
// effect commit together or not at all, and asks `authorize` for the administrative action it
// performs on behalf of the deciding approver: approving a request never does more than that
// approver could do by hand (ADM-7). A refusal (ExecutionRefused) rolls the decision back.
import type { AuditAction } from '../platform/audit-actions.ts';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import type { Account } from '../db/types.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import type { Lang } from '../platform/web/messages.ts';
import { audit } from '../platform/audit.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { insertGrant } from '../admin/grants.ts';
import { eraseAccounts, issuedPasswordHash, writeIssuedPassword } from '../admin/account-actions.ts';
import { initialHashFor, isUniqueViolation, prepareAccount, writeAccount, type AccountInput, type Prepared } from '../admin/accounts.ts';
import { nationalIdIndex } from '../accounts/store.ts';
import { maskUsername } from '../auth/mask.ts';
import { LIVE_STATES } from './approvers.ts';
import type { RequestsTable } from './tables.ts';
import type { RequestTypeCode } from './types.ts';

export type RequestRow = Selectable<RequestsTable>;

/** The approver may not (or can no longer) carry the request out; nothing is decided. */
export class ExecutionRefused extends Error {
  constructor(readonly messageKey: MessageKey) { super(messageKey); }
}
const refuse = (key: MessageKey): never => { throw new ExecutionRefused(key); };

export interface ExecContext<P = unknown> { deps: Deps; r: RequestRow; actor: Actor; now: Date; ip: string | null; prepared: P }

export interface Executor<P = unknown> {
  /** Outside the transaction: slow work (password hashing) and checks that read through deps.db. */
  before?(deps: Deps, r: RequestRow, actor: Actor): Promise<P>;
  run(trx: Db, x: ExecContext<P>): Promise<void>;
  /** When any step is rejected. */
  onReject?(trx: Db, x: ExecContext<undefined>): Promise<void>;
}

const p = (r: RequestRow) => r.payload as Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const via = (r: RequestRow) => ({ requestId: r.id, requestType: r.type });

async function liveAccount(trx: Db, id: number | null, states = LIVE_STATES): Promise<Account> {
  const a = id === null ? undefined : await trx.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || !states.includes(a.state)) return refuse('request.exec.subjectGone');
  return a;
}

/** Each role with its system's category; every one must be grantable by the approver on the account's unit. */
async function grantableRoles(trx: Db, actor: Actor, unitOid: string, codes: string[]) {
  if (codes.length === 0) return [];
  const rows = await trx.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 's.category']).where('r.code', 'in', codes).execute();
  if (rows.length !== new Set(codes).size) refuse('request.exec.roleGone');
  if (rows.some((r) => !authorize(actor, 'role.assign', { oid: unitOid, category: r.category }))) refuse('request.exec.notAllowed');
  return rows;
}

async function giveRoles(trx: Db, x: ExecContext, a: Account, codes: string[]) {
  const rows = await grantableRoles(trx, x.actor, a.unit_oid, codes);
  for (const r of rows) {
    const added = await trx.insertInto('role_grants').values({ account_id: a.id, role_code: r.code, granted_by: x.actor.accountId, granted_at: x.now })
      .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).returning('role_code').executeTakeFirst();
    if (added) await audit(trx, x.now, { actor: x.actor.accountId, action: 'role.assign', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { role: r.code, category: r.category, ...via(x.r) } });
  }
}

async function takeRoles(trx: Db, x: ExecContext, a: Account, codes: string[]) {
  const rows = await grantableRoles(trx, x.actor, a.unit_oid, codes);
  for (const r of rows) {
    const removed = await trx.deleteFrom('role_grants').where('account_id', '=', a.id).where('role_code', '=', r.code).returning('role_code').executeTakeFirst();
    if (removed) await audit(trx, x.now, { actor: x.actor.accountId, action: 'role.remove', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { role: r.code, category: r.category, ...via(x.r) } });
  }
}

async function tombstone(trx: Db, x: ExecContext, a: Account, action: AuditAction, extra: Record<string, unknown> = {}) {
  await eraseAccounts(trx, x.deps, [a], x.now);
  await audit(trx, x.now, { actor: x.actor.accountId, action, targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { username: maskUsername(a.username_norm), before: a.state, ...via(x.r), ...extra } });
}

interface NewAccount { prepared: Prepared; hash: string | null }

export const EXECUTORS: Record<RequestTypeCode, Executor<any>> = {
  // REQ-1: pending → enabled with the roles applied for; rejected: the pending account is erased
  // and its username freed for a new application (the audit trail keeps the events).
  account_application: {
    async run(trx, x) {
      const a = await liveAccount(trx, Number(p(x.r).accountId), ['pending']);
      await grantableRoles(trx, x.actor, a.unit_oid, strings(p(x.r).roles));
      await trx.updateTable('accounts').set({ state: 'enabled', activated_at: x.now, updated_at: x.now }).where('id', '=', a.id).execute();
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.approve', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { before: 'pending', after: 'enabled', ...via(x.r) } });
      await giveRoles(trx, x, a, strings(p(x.r).roles));
    },
    async onReject(trx, x) {
      const a = await trx.selectFrom('accounts').selectAll().where('id', '=', Number(p(x.r).accountId)).where('state', '=', 'pending').executeTakeFirst();
      if (!a) return;
      await tombstone(trx, x, a, 'account.application.erase');
      // '~' is in no username scheme: the tombstone keeps a unique name that frees the real one.
      await trx.updateTable('accounts').set({ username: `~${a.id}`, username_norm: `~${a.id}` }).where('id', '=', a.id).execute();
    },
  },

  permission_add: {
    async run(trx, x) { await giveRoles(trx, x, await liveAccount(trx, x.r.subject_account_id), [String(p(x.r).role)]); },
  },
  permission_remove: {
    async run(trx, x) { await takeRoles(trx, x, await liveAccount(trx, x.r.subject_account_id), [String(p(x.r).role)]); },
  },

  // D-06-10: the central authority's approval makes (or replaces) the registration-administrator grant.
  registration_admin: {
    async run(trx, x) {
      const a = await liveAccount(trx, x.r.subject_account_id);
      const jurisdictionOid = String(p(x.r).jurisdictionOid);
      const categories = strings(p(x.r).categories);
      if (!authorize(x.actor, 'grant.create', { oid: jurisdictionOid, grant: { kind: 'registration_admin', categories } })) refuse('request.exec.notAllowed');
      const oldId = p(x.r).grantId;
      if (p(x.r).action === 'change') {
        const old = await trx.deleteFrom('admin_grants').where('id', '=', Number(oldId)).where('account_id', '=', a.id).where('kind', '=', 'registration_admin')
          .returning(['id', 'jurisdiction_oid', 'categories']).executeTakeFirst();
        if (!old) refuse('request.exec.grantGone');
        await audit(trx, x.now, { actor: x.actor.accountId, action: 'admin_grant.revoke', targetType: 'account', targetId: a.id, orgOid: old!.jurisdiction_oid, ip: x.ip, details: { grantId: old!.id, kind: 'registration_admin', jurisdictionOid: old!.jurisdiction_oid, categories: old!.categories, ...via(x.r) } });
      }
      await insertGrant(trx, x.now, x.actor.accountId, { accountId: a.id, kind: 'registration_admin', jurisdictionOid, categories }, x.ip, `request ${x.r.id}`);
    },
  },

  // D-06-09: the registration administrator's approval adds, changes or deletes the account.
  user_change: {
    async before(deps, r, actor): Promise<NewAccount | null> {
      if (p(r).action !== 'add') return null;
      const account = { ...(p(r).account as Record<string, string>) };
      const input: AccountInput = { ...account, unitOid: account.unitOid || r.org_oid, nationalId: account.nationalIdEnc ? deps.keyring.decrypt(account.nationalIdEnc) : '' };
      const checked = await prepareAccount(deps, actor, input);
      if (!checked.ok) return refuse(checked.errors.unitOid === 'admin.unitOutside' ? 'request.exec.notAllowed' : 'request.exec.accountInvalid');
      return { prepared: checked.value, hash: await initialHashFor(deps, checked.value) };
    },
    async run(trx, x: ExecContext<NewAccount | null>) {
      const action = p(x.r).action;
      if (action === 'add') {
        let id: number;
        try {
          id = await writeAccount(trx, x.deps, x.actor, x.prepared!.prepared, x.prepared!.hash, x.now, x.ip, x.r.lang as Lang, via(x.r));
        } catch (e) {
          if (isUniqueViolation(e)) refuse('request.exec.usernameTaken');
          throw e;
        }
        await trx.updateTable('requests').set({ subject_account_id: id }).where('id', '=', x.r.id).execute();
        const a = await liveAccount(trx, id);
        await giveRoles(trx, x, a, strings(p(x.r).roles));
        return;
      }
      const a = await liveAccount(trx, x.r.subject_account_id);
      if (action === 'delete') {
        if (!authorize(x.actor, 'account.delete', { oid: a.unit_oid }) || a.id === x.actor.accountId) refuse('request.exec.notAllowed');
        await tombstone(trx, x, a, 'account.delete');
        return;
      }
      await takeRoles(trx, x, a, strings(p(x.r).removeRoles));
      await giveRoles(trx, x, a, strings(p(x.r).addRoles));
    },
  },

  // D-06-11 / AUTH-7: the administrator's approval enables the one-day password, valid until midnight.
  one_day_password: {
    async before(deps, r): Promise<string> {
      const a = r.subject_account_id === null ? undefined : await deps.db.selectFrom('accounts').selectAll().where('id', '=', r.subject_account_id).executeTakeFirst();
      const hash = a ? await issuedPasswordHash(deps, a) : null;
      return hash ?? refuse('request.error.oneDayData');
    },
    async run(trx, x: ExecContext<string>) {
      const a = await liveAccount(trx, x.r.subject_account_id);
      if (!authorize(x.actor, 'account.oneDayPassword', { oid: a.unit_oid })) refuse('request.exec.notAllowed');
      const expiresAt = await writeIssuedPassword(trx, x.deps, a, 'one_day', x.prepared, x.now, false);
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.oneDayPassword', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { expiresAt: expiresAt.toISOString(), ...via(x.r) } });
    },
  },

  // ACC-4: the locked fields change as the approved request says.
  profile_change: {
    async run(trx, x) {
      const a = await liveAccount(trx, x.r.subject_account_id);
      const q = p(x.r);
      const unitOid = typeof q.unitOid === 'string' && q.unitOid ? q.unitOid : a.unit_oid;
      if (!authorize(x.actor, 'account.update', { oid: a.unit_oid })) refuse('request.exec.notAllowed');
      if (unitOid !== a.unit_oid && !(authorize(x.actor, 'account.move', { oid: a.unit_oid }) && authorize(x.actor, 'account.move', { oid: unitOid }))) refuse('request.exec.notAllowed');
      const changed: string[] = [];
      const set: Partial<Record<'name' | 'unit_oid' | 'national_id_enc' | 'national_id_hmac', string>> = {};
      if (typeof q.name === 'string' && q.name && q.name !== a.name) { set.name = q.name; changed.push('name'); }
      if (unitOid !== a.unit_oid) { set.unit_oid = unitOid; changed.push('unitOid'); }
      if (typeof q.nationalIdEnc === 'string' && q.nationalIdEnc) {
        const hmac = nationalIdIndex(x.deps.keyring, x.deps.keyring.decrypt(q.nationalIdEnc));
        const taken = await trx.selectFrom('accounts').select('id').where('national_id_hmac', '=', hmac).where('state', '!=', 'deleted').where('id', '!=', a.id).executeTakeFirst();
        if (taken) refuse('request.exec.nationalIdTaken');
        if (hmac !== a.national_id_hmac) { set.national_id_enc = q.nationalIdEnc; set.national_id_hmac = hmac; changed.push('nationalId'); }
      }
      if (changed.length === 0) return;
      await trx.updateTable('accounts').set({ ...set, updated_at: x.now }).where('id', '=', a.id).execute();
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.update', targetType: 'account', targetId: a.id, orgOid: unitOid, ip: x.ip, details: { changed, ...(set.unit_oid ? { before: { unitOid: a.unit_oid }, after: { unitOid } } : {}), ...via(x.r) } });
    },
  },
};
