// Administrators add and modify accounts (ADM-3, ADM-5, AUTH-4). Each use case: `authorize`
// first, one transaction, an audit event inside it, time from deps.clock. Form errors come back
// as message keys per field; reaching outside the jurisdiction is "not found" (404).
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import type { Lang } from '../platform/web/messages.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { isValidOid, properPrefixes } from '../orgs/oid.ts';
import { effectivePolicyFor, orgExists, tenantOf } from '../orgs/store.ts';
import { lookupOrgs, MAX_LOOKUP } from '../orgs/service.ts';
import type { Policy } from '../orgs/policy.ts';
import { validateProfile, type Profile, type ProfileInput } from '../accounts/profile.ts';
import { checkUsername, normaliseUsername } from '../accounts/username.ts';
import { findAccountByUsername, insertAccount, nationalIdIndex, setPassword } from '../accounts/store.ts';
import { normaliseNationalId } from '../accounts/national-id.ts';
import { sendSetPasswordLink } from '../accounts/set-password-link.ts';
import { initialPassword, endOfTaipeiDay } from '../auth/issued-passwords.ts';
import { maskUsername } from '../auth/mask.ts';
import type { Account } from '../db/types.ts';
import { authorize, scopeFor, scopeIsEmpty, type Action, type Actor } from '../access/authorize.ts';
import { nationalIdInUse } from '../accounts/store.ts';
import { findLiveAccount, getUnit, unitsInScope, updateAccountRow } from './account-store.ts';

/** Every field of the add and modify forms. */
export const ACCOUNT_FIELDS = ['unitOid', 'username', 'name', 'nationalId', 'birthMonth', 'birthDay', 'email', 'mobile', 'title',
  'department', 'address', 'officePhone', 'officeExt', 'fax', 'staffCode', 'postalCode'] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];
export type AccountInput = Partial<Record<AccountField, string>>;
export type AccountErrors = Partial<Record<AccountField, string>>;
export type Scheme = Policy['initialPassword.scheme'];

/** A refusal carries the unit's e-mail domains, which the e-mail message names. */
export type FormOutcome<T> = { ok: true; value: T } | { ok: false; errors: AccountErrors; domains?: string[] };

/** Profile field → column; name and the national ID are handled apart (locked for users, ACC-4). */
const COLUMN = {
  birthMonth: 'birth_month', birthDay: 'birth_day', email: 'email', mobile: 'mobile', title: 'title', department: 'department',
  address: 'address', officePhone: 'office_phone', officeExt: 'office_ext', fax: 'fax', staffCode: 'staff_code', postalCode: 'postal_code',
} as const satisfies Partial<Record<keyof Profile, keyof Account>>;
type FreeField = keyof typeof COLUMN;
const FREE = Object.keys(COLUMN) as FreeField[];

/** Units an action may reach, for the unit select: the jurisdiction in SQL, never filtered afterwards. */
export async function unitsWithin(deps: Deps, actor: Actor, action: Action, limit = 1000) {
  const scope = scopeFor(actor, action);
  if (scopeIsEmpty(scope)) return [];
  return unitsInScope(deps.db, scope, limit);
}

export interface UnitChoice { oid: string; name: string; agencyCode: string | null; tenantCode: string | null }
export const UNIT_CHOICES = MAX_LOOKUP;

/**
 * The OID picker of 公務員新增作業 (ADM-3, ORG-2; issue 9 item 10): units the actor may add
 * accounts in, found by name, agency or school code or OID prefix (the ORG-2 look-up), the
 * jurisdiction in the SQL; without a query, the jurisdiction's first units in tree order.
 * `more` says the list was cut at UNIT_CHOICES, so the administrator should narrow the search.
 */
export async function unitChoices(deps: Deps, actor: Actor, q: string): Promise<{ items: UnitChoice[]; more: boolean }> {
  const scope = scopeFor(actor, 'account.create');
  if (scopeIsEmpty(scope)) return { items: [], more: false };
  const items: UnitChoice[] = q
    ? (await lookupOrgs(deps.db, q, UNIT_CHOICES, scope)).map((o) => ({ oid: o.oid, name: o.name, agencyCode: o.agencyCode, tenantCode: o.tenantCode }))
    : (await unitsWithin(deps, actor, 'account.create', UNIT_CHOICES)).map((o) => ({ oid: o.oid, name: o.name, agencyCode: o.agency_code, tenantCode: o.tenant_code }));
  return { items, more: items.length >= UNIT_CHOICES };
}

/** The unit an add form is for, when the actor may add accounts there; else the error to show. */
export async function creatableUnit(deps: Deps, actor: Actor, unitOid: string): Promise<{ unit?: UnitChoice; error?: string }> {
  const error = await checkUnit(deps, actor, 'account.create', unitOid);
  if (error) return { error };
  const o = await getUnit(deps.db, unitOid);
  return { unit: { oid: o.oid, name: o.name, agencyCode: o.agency_code, tenantCode: (await tenantOf(deps.db, o.oid))?.code ?? null } };
}

/** What the add form shows for a unit: its policy's initial-password and username schemes. */
export async function unitRules(db: Db, unitOid: string) {
  const { policy } = await effectivePolicyFor(db, unitOid);
  return { scheme: policy['initialPassword.scheme'], usernameScheme: policy['username.scheme'], policy };
}


/** A unit an actor may use for `action`, or the error to show on the unit field. */
async function checkUnit(deps: Deps, actor: Actor, action: Action, unitOid: string): Promise<string | null> {
  if (!isValidOid(unitOid)) return 'admin.unitUnknown';
  if (!(await orgExists(deps.db, unitOid))) return 'admin.unitUnknown';
  return authorize(actor, action, { oid: unitOid }) ? null : 'admin.unitOutside';
}

/** One person, one account: another live account with this national ID (ACC-10). */
async function nationalIdTaken(deps: Deps, nationalId: string, exceptId = 0): Promise<boolean> {
  return nationalIdInUse(deps.db, nationalIdIndex(deps.keyring, nationalId), exceptId);
}

/** The profile rules of the unit, plus what the initial-password scheme needs (AUTH-4). */
function validateForScheme(input: AccountInput, policy: Policy, scheme: Scheme): { profile?: Profile; errors: AccountErrors } {
  // The birthday scheme builds the password from the birthday and the national ID: both required.
  const r = validateProfile(input, { ...policy, 'nationalId.required': policy['nationalId.required'] || scheme === 'birthday_national_id' });
  const errors: AccountErrors = { ...r.errors };
  if (scheme === 'birthday_national_id' && !errors.birthMonth && !(input.birthMonth?.trim() && input.birthDay?.trim())) errors.birthMonth = 'profile.required';
  if (scheme === 'email_link' && !errors.email && !input.email?.trim()) errors.email = 'profile.required';
  return Object.keys(errors).length ? { errors } : { profile: r.profile, errors };
}

export interface Added { id: number; scheme: Scheme; username: string }

/** An account that passed every rule of addAccount and may be written. */
export interface Prepared { unitOid: string; username: string; scheme: Scheme; profile: Profile }

/** Whether `username` may be given in `unitOid` (its username scheme, tenant prefix, taken). */
export async function usernameProblem(db: Db, unitOid: string, username: string, usernameScheme?: Policy['username.scheme']): Promise<string | null> {
  return (await usernameFormProblem(db, unitOid, username, usernameScheme))
    ?? ((await findAccountByUsername(db, username)) ? 'username.taken' : null);
}

/** The unit's username scheme alone, without asking whether the name is taken. */
export async function usernameFormProblem(db: Db, unitOid: string, username: string, usernameScheme?: Policy['username.scheme']): Promise<string | null> {
  const s = usernameScheme ?? (await unitRules(db, unitOid)).usernameScheme;
  return checkUsername(username, s, (await tenantOf(db, unitOid))?.code ?? null);
}

/**
 * Every rule of 公務員新增作業 (ADM-3) without writing: the unit inside the actor's jurisdiction,
 * the unit policy's profile rules and initial-password scheme, the username scheme, uniqueness of
 * the username and the national ID. Shared by addAccount and the CSV import (account-csv.ts).
 */
export async function prepareAccount(deps: Deps, actor: Actor, input: AccountInput): Promise<FormOutcome<Prepared>> {
  const unitOid = (input.unitOid ?? '').trim();
  const unitError = await checkUnit(deps, actor, 'account.create', unitOid);
  if (unitError) return { ok: false, errors: { unitOid: unitError } };
  const { scheme, usernameScheme, policy } = await unitRules(deps.db, unitOid);
  const v = validateForScheme(input, policy, scheme);
  const errors: AccountErrors = v.errors;
  // Under the national-ID scheme the username is the ID itself unless typed (seed 003).
  // A typed national-ID username is normalised like the ID field (issue 9 item 8).
  const typed = usernameScheme === 'national_id' ? normaliseNationalId(input.username ?? '') : (input.username ?? '').trim();
  const username = typed || (usernameScheme === 'national_id' ? v.profile?.nationalId ?? '' : '');
  const usernameError = await usernameProblem(deps.db, unitOid, username, usernameScheme);
  if (usernameError) errors.username = usernameError;
  if (v.profile?.nationalId && await nationalIdTaken(deps, v.profile.nationalId)) errors.nationalId = 'admin.nationalIdTaken';
  if (!v.profile || Object.keys(errors).length) return { ok: false, errors, domains: policy['email.allowedDomains'] };
  return { ok: true, value: { unitOid, username, scheme, profile: v.profile } };
}

/** The initial-password hash of a prepared account (birthday scheme), or null (e-mail link). Slow: call outside transactions. */
export async function initialHashFor(deps: Deps, p: Prepared): Promise<string | null> {
  const f = p.profile;
  return p.scheme === 'birthday_national_id' ? deps.hasher.hash(initialPassword(f.birthMonth!, f.birthDay!, f.nationalId!)) : null;
}

/** Writes a prepared account inside `trx`: the row, its initial password or set-password link, the audit event. */
export async function writeAccount(trx: Db, deps: Deps, actor: Actor, p: Prepared, hash: string | null, now: Date, ip: string | null, lang: Lang,
  extra: Record<string, unknown> = {}): Promise<number> {
  const id = await insertAccount(trx, deps.keyring, now, { username: p.username, unitOid: p.unitOid, state: 'not_activated', profile: p.profile });
  if (hash) await setPassword(trx, id, hash, now, 'initial', true, endOfTaipeiDay(now));
  else await sendSetPasswordLink(trx, deps, now, id, lang);
  await audit(trx, now, {
    actor: actor.accountId, action: 'account.create', targetType: 'account', targetId: id, orgOid: p.unitOid, ip,
    details: { username: maskUsername(normaliseUsername(p.username)), scheme: p.scheme, ...extra },
  });
  return id;
}

/**
 * A check run first inside a use case's own transaction (a caller's precondition, e.g. SCIM's
 * If-Match: the row locked and its version compared there); it throws to refuse, and then nothing
 * is written.
 */
export type TxGuard = (trx: Db) => Promise<void>;

export const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/**
 * 公務員新增作業 (ADM-3): an account in a unit of the actor's jurisdiction, validated by the unit's
 * policy, state not_activated. Birthday scheme: the initial password (MmDd + birthday + last 4 of
 * the ID), valid until midnight in Taipei, to be changed at first login. E-mail scheme: a
 * single-use set-password link is mailed in the same transaction.
 */
export async function addAccount(deps: Deps, actor: Actor, input: AccountInput, ip: string | null, lang: Lang): Promise<FormOutcome<Added>> {
  if (scopeIsEmpty(scopeFor(actor, 'account.create'))) throw notFound();
  const r = await prepareAccount(deps, actor, input);
  if (!r.ok) return r;
  const p = r.value;
  const now = deps.clock.now();
  // argon2 outside the transaction: it is slow, and the transaction holds the audit lock.
  const hash = await initialHashFor(deps, p);
  try {
    const id = await deps.db.transaction().execute((trx) => writeAccount(trx, deps, actor, p, hash, now, ip, lang));
    return { ok: true, value: { id, scheme: p.scheme, username: p.username } };
  } catch (e) {
    // Two administrators adding the same username at once: the unique index decides.
    if (isUniqueViolation(e)) return { ok: false, errors: { username: 'username.taken' } };
    throw e;
  }
}

/** A live account the actor may `action`, or "not found" (unknown and out of reach look the same). */
export async function accountFor(deps: Deps, actor: Actor, id: number, action: Action): Promise<Account> {
  const a = await findLiveAccount(deps.db, id);
  if (!a || !authorize(actor, action, { oid: a.unit_oid })) throw notFound();
  return a;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * 公務員修改作業 (ADM-5). Fields not given keep their value; the national ID changes only when a
 * new one is typed (the form never shows it in clear). Administrators may correct the locked
 * fields (name, national ID) and move the account to another unit of their jurisdiction, which
 * needs `account.move` on both units (ORG-4). The audit names the changed fields, not their values.
 */
export async function updateAccount(deps: Deps, actor: Actor, id: number, input: AccountInput, ip: string | null, guard?: TxGuard): Promise<FormOutcome<{ changed: string[] }>> {
  const a = await accountFor(deps, actor, id, 'account.update');
  const unitOid = input.unitOid?.trim() || a.unit_oid;
  if (unitOid !== a.unit_oid) {
    const err = (await checkUnit(deps, actor, 'account.move', unitOid)) ?? (authorize(actor, 'account.move', { oid: a.unit_oid }) ? null : 'admin.unitOutside');
    if (err) return { ok: false, errors: { unitOid: err } };
  }
  const currentId = a.national_id_enc ? deps.keyring.decrypt(a.national_id_enc) : '';
  const merged: ProfileInput = {
    ...Object.fromEntries(FREE.map((f) => [f, input[f] ?? text(a[COLUMN[f]])])),
    name: input.name ?? a.name, nationalId: input.nationalId?.trim() || currentId,
  };
  const { policy } = await effectivePolicyFor(deps.db, unitOid);
  // An empty field keeps the ID, so it cannot be removed here; an account that never had one
  // (created before the unit required it) can still have its other fields corrected.
  const r = validateProfile(merged, { ...policy, 'nationalId.required': false });
  const errors: AccountErrors = { ...r.errors };
  const idChanged = r.profile !== undefined && (r.profile.nationalId ?? '') !== currentId;
  if (idChanged && r.profile!.nationalId && await nationalIdTaken(deps, r.profile!.nationalId, a.id)) errors.nationalId = 'admin.nationalIdTaken';
  if (!r.profile || Object.keys(errors).length) return { ok: false, errors, domains: policy['email.allowedDomains'] };
  const p = r.profile;
  const changed: string[] = FREE.filter((f) => (a[COLUMN[f]] ?? null) !== (p[f] ?? null));
  if (p.name !== a.name) changed.push('name');
  if (idChanged) changed.push('nationalId');
  if (unitOid !== a.unit_oid) changed.push('unitOid');
  if (changed.length === 0) return { ok: true, value: { changed } };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await guard?.(trx);
    await updateAccountRow(trx, a.id, {
      ...Object.fromEntries(FREE.map((f) => [COLUMN[f], p[f]])), name: p.name, unit_oid: unitOid, updated_at: now,
      national_id_enc: p.nationalId ? deps.keyring.encrypt(p.nationalId) : null,
      national_id_hmac: p.nationalId ? nationalIdIndex(deps.keyring, p.nationalId) : null,
    });
    await audit(trx, now, {
      actor: actor.accountId, action: 'account.update', targetType: 'account', targetId: a.id, orgOid: unitOid, ip,
      details: { changed, ...(unitOid !== a.unit_oid ? { before: { unitOid: a.unit_oid }, after: { unitOid } } : {}) },
    });
  });
  return { ok: true, value: { changed } };
}
