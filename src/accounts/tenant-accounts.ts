// Tenant (school) accounts (ACC-7, ACC-8, ACC-10, ACC-2): the holder of a tenant's main account
// lists, creates and disables the tenant's sub-accounts and hands the main account on. A tenant is
// an organisation node with a tenant code; a main_account grant's jurisdiction is its OID. Every
// decision goes through `authorize`; lists add the jurisdiction to their SQL.
import type { Deps } from '../platform/deps.ts';
import type { Lang, MessageKey } from '../platform/web/messages.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { enqueueMail } from '../mail-templates.ts';
import { formatTime } from '../platform/web/format.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, scopeFor, type Action, type Actor } from '../access/authorize.ts';
import { isWithin } from '../orgs/oid.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { endAllSessions } from '../auth/session-store.ts';
import { maskUsername } from '../auth/mask.ts';
import { checkUsername, normaliseUsername } from './username.ts';
import { validateProfile, type ProfileInput } from './profile.ts';
import {
  findAccountByUsername, findUndeletedAccount, getAccountNameAndEmail, insertAccount, lockTenantAccounts, nationalIdIndex, setAccountState,
} from './store.ts';
import {
  countTenantAccounts, deleteGrantOf, insertMainAccountGrant, mainAccountGrant, mainAccountHolders, orgByTenantCode, successorRows,
  tenantAccountPage, tenantDuplicates, tenantOrgs,
} from './tenant-store.ts';
import { sendSetPasswordLink } from './set-password-link.ts';

export interface Tenant { oid: string; code: string; name: string }

const CODE_SHAPE = /^[A-Za-z0-9]{1,20}$/;

export async function tenantByCode(db: Db, code: string): Promise<Tenant | undefined> {
  if (!CODE_SHAPE.test(code)) return undefined;
  const row = await orgByTenantCode(db, code);
  return row ? { oid: row.oid, code: row.tenant_code!, name: row.name } : undefined;
}

/** The tenants whose main account `actor` holds. */
export async function heldTenants(db: Db, actor: Actor): Promise<Tenant[]> {
  const oids = actor.grants.filter((g) => g.kind === 'main_account').map((g) => g.jurisdictionOid);
  if (oids.length === 0) return [];
  const rows = await tenantOrgs(db, oids);
  return rows.map((r) => ({ oid: r.oid, code: r.tenant_code!, name: r.name }));
}

/** The tenant named by `code`, when the actor may see its accounts; otherwise it does not exist. */
export async function reachableTenant(db: Db, actor: Actor, code: string): Promise<Tenant> {
  const tenant = await tenantByCode(db, code);
  if (!tenant || !authorize(actor, 'account.view', { oid: tenant.oid })) throw notFound();
  return tenant;
}

export interface TenantAccountRow {
  id: number; username: string; name: string; department: string | null; title: string | null;
  email: string | null; state: string; isHolder: boolean;
}

export const TENANT_PAGE_SIZE = 50;

/** The tenant's accounts the actor may view: the tenant subtree AND the actor's scope, in SQL. */
export async function listTenantAccounts(deps: Deps, actor: Actor, tenant: Tenant, page: number): Promise<{ total: number; items: TenantAccountRow[] }> {
  const scope = scopeFor(actor, 'account.view');
  const [total, rows] = await Promise.all([
    countTenantAccounts(deps.db, tenant.oid, scope),
    tenantAccountPage(deps.db, tenant.oid, scope, TENANT_PAGE_SIZE, (page - 1) * TENANT_PAGE_SIZE),
  ]);
  return {
    total,
    items: rows.map(({ is_holder, ...r }) => ({ ...r, isHolder: Boolean(is_holder) })),
  };
}

export type SubAccountField = 'username' | 'name' | 'nationalId' | 'email' | 'department' | 'title' | 'officePhone' | 'officeExt';
export type SubAccountInput = Record<SubAccountField, string>;
export type SubAccountErrors = Partial<Record<SubAccountField, MessageKey>>;

/** Seed 001's form marks these as required; the e-mail above all, since the link goes there. */
const REQUIRED: SubAccountField[] = ['username', 'name', 'email', 'department', 'title', 'officePhone'];

/**
 * Creates a sub-account `<code>_<name>` in the tenant, not activated, and mails it a set-password
 * link in the same transaction. One person, one account: a national ID or e-mail address that
 * already has a (not deleted) account in the tenant is refused (ACC-10).
 */
export async function createSubAccount(deps: Deps, actor: Actor, tenant: Tenant, input: SubAccountInput, ip: string, lang: Lang):
  Promise<{ ok: true; id: number; username: string; email: string } | { ok: false; errors: SubAccountErrors }> {
  if (!authorize(actor, 'account.create', { oid: tenant.oid })) throw notFound();
  const errors: SubAccountErrors = {};
  for (const f of REQUIRED) if (!input[f].trim()) errors[f] = 'profile.required';
  const username = input.username.trim();
  if (!errors.username) {
    const e = checkUsername(username, 'tenant_prefixed', tenant.code);
    if (e) errors.username = e;
    else if (await findAccountByUsername(deps.db, username)) errors.username = 'username.taken';
  }
  const { policy } = await effectivePolicyFor(deps.db, tenant.oid);
  const profileInput: ProfileInput = {
    name: input.name, nationalId: input.nationalId, email: input.email, department: input.department,
    title: input.title, officePhone: input.officePhone, officeExt: input.officeExt,
  };
  const r = validateProfile(profileInput, policy);
  for (const [k, v] of Object.entries(r.errors)) errors[k as SubAccountField] ??= v as MessageKey;
  if (!r.profile || Object.keys(errors).length > 0) return { ok: false, errors };
  const profile = r.profile;
  const email = profile.email!;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    // Serialises creations in one tenant, so two parallel requests cannot both pass the ACC-10 check.
    await lockTenantAccounts(trx, tenant.oid);
    const dup = await tenantDuplicates(trx, tenant.oid, profile.nationalId ? nationalIdIndex(deps.keyring, profile.nationalId) : null, email);
    const dupErrors: SubAccountErrors = {};
    if (profile.nationalId && dup.some((d) => d.national_id_hmac === nationalIdIndex(deps.keyring, profile.nationalId!))) dupErrors.nationalId = 'tenant.dupNationalId';
    if (dup.some((d) => d.email?.toLowerCase() === email)) dupErrors.email = 'tenant.dupEmail';
    // The username is unique across the platform; a parallel creation of the same name ends here.
    if (await findAccountByUsername(trx, username)) dupErrors.username = 'username.taken';
    if (Object.keys(dupErrors).length > 0) return { ok: false as const, errors: dupErrors };
    const id = await insertAccount(trx, deps.keyring, now, { username, unitOid: tenant.oid, state: 'not_activated', profile });
    await sendSetPasswordLink(trx, deps, now, id, lang);
    await audit(trx, now, {
      actor: actor.accountId, action: 'account.create', targetType: 'account', targetId: id, orgOid: tenant.oid, ip,
      details: { via: 'tenant', tenant: tenant.code, username: maskUsername(normaliseUsername(username)), activation: 'set_password_link' },
    });
    return { ok: true as const, id, username, email };
  });
}

/** An account of the tenant the actor may act on with `action`; anything else does not exist. */
export async function tenantAccount(deps: Deps, actor: Actor, tenant: Tenant, accountId: number, action: Action) {
  const a = await findUndeletedAccount(deps.db, accountId);
  if (!a || !isWithin(a.unit_oid, tenant.oid) || !authorize(actor, action, { oid: a.unit_oid })) throw notFound();
  return a;
}

/** Disables a sub-account and ends its sessions. A main account is not disabled here (transfer first). */
export async function disableSubAccount(deps: Deps, actor: Actor, tenant: Tenant, accountId: number, ip: string):
  Promise<{ ok: true; username: string } | { ok: false; error: MessageKey }> {
  const a = await tenantAccount(deps, actor, tenant, accountId, 'account.state');
  if (await mainAccountGrant(deps.db, a.id, tenant.oid)) return { ok: false, error: 'tenant.cannotDisableHolder' };
  if (a.state === 'disabled') return { ok: true, username: a.username };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await setAccountState(trx, a.id, 'disabled', now);
    const sessions = await endAllSessions(trx, a.id);
    await audit(trx, now, {
      actor: actor.accountId, action: 'account.disable', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip,
      details: { via: 'tenant', tenant: tenant.code, before: { state: a.state }, after: { state: 'disabled' }, sessionsEnded: sessions },
    });
  });
  return { ok: true, username: a.username };
}

/** Enabled accounts of the tenant that could take the main account over from `actor`. */
export async function successorCandidates(deps: Deps, actor: Actor, tenant: Tenant) {
  return successorRows(deps.db, tenant.oid, scopeFor(actor, 'account.view'), actor.accountId);
}

/**
 * Main-account transfer (ACC-8): in one transaction the actor's own main_account grant for the
 * tenant moves to an enabled account of the tenant; audited; both are mailed.
 */
export async function transferMainAccount(deps: Deps, actor: Actor, tenant: Tenant, successorId: number, ip: string, lang: Lang): Promise<{ username: string }> {
  if (!authorize(actor, 'tenant.transferMain', { oid: tenant.oid })) throw notFound();
  const own = await mainAccountGrant(deps.db, actor.accountId, tenant.oid);
  if (!own) throw notFound();
  const successor = await tenantAccount(deps, actor, tenant, successorId, 'account.view');
  if (successor.state !== 'enabled' || successor.id === actor.accountId || await mainAccountGrant(deps.db, successor.id, tenant.oid)) throw notFound();
  const me = await getAccountNameAndEmail(deps.db, actor.accountId);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await lockTenantAccounts(trx, tenant.oid);
    // The grant the actor had when the page was read; gone means a parallel transfer won.
    if (!(await deleteGrantOf(trx, own.id, actor.accountId))) throw notFound();
    const grantId = await insertMainAccountGrant(trx, successor.id, tenant.oid, own.categories);
    await audit(trx, now, {
      actor: actor.accountId, action: 'admin_grant.transfer', targetType: 'account', targetId: successor.id, orgOid: tenant.oid, ip,
      details: { kind: 'main_account', tenant: tenant.code, from: actor.accountId, to: successor.id, revokedGrantId: own.id, grantId },
    });
    const vars = { school: tenant.name, code: tenant.code, from: `${me.name}（${me.username}）`, to: `${successor.name}（${successor.username}）`, at: formatTime(now, lang) };
    for (const [who, gained] of [[me, false], [successor, true]] as const) {
      if (who.email) await enqueueMail(trx, now, { to: who.email, template: 'tenant.mainTransferred', lang, vars: { ...vars, name: who.name, gained } });
    }
  });
  return { username: successor.username };
}

export interface HolderCard { name: string; department: string | null; title: string | null; officePhone: string | null; officeExt: string | null }

/**
 * Public look-up (ACC-9): the tenant's main-account holders, with name, department, title and
 * office phone only. Disabled and deleted accounts are not shown. Undefined when there is none.
 */
export async function lookUpHolders(db: Db, code: string): Promise<{ tenant: Tenant; holders: HolderCard[] } | undefined> {
  const tenant = await tenantByCode(db, code);
  if (!tenant) return undefined;
  const holders = await mainAccountHolders(db, tenant.oid);
  return holders.length > 0 ? { tenant, holders } : undefined;
}
