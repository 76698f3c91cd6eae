// Administration grants and role grants (ADM-1, ADM-2, ADM-5, ADM-7): one transaction each,
// `authorize` first, audited, the holder mailed. `actor` null is the operator's CLI, which has
// full authority.
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { HttpError, notFound } from '../platform/http/errors.ts';
import { enqueueMail } from '../mail-templates.ts';
import { formatTime } from '../platform/web/format.ts';
import { translator, type Lang, type MessageKey } from '../messages.ts';
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { authorize, GRANT_KINDS, type Actor, type GrantKind } from '../access/authorize.ts';
import { knownCategories, roleCategory } from '../sso/systems/registry.ts';
import { categoriesText, categoryLabels, grantInScope, type GrantRow } from './grant-directory.ts';
import { orgLabel } from '../orgs/store.ts';
import { requesterOf } from '../requests/account-store.ts';
import { lockAccountRow } from './account-store.ts';
import { deleteGrantRow, findOrgWithTenantCode, holderContact, holdsSameGrant, insertGrantRow } from './grant-store.ts';
import { grantRole } from '../requests/role-store.ts';

/** Input a grant cannot be given with: a message key, the field it is about, and the key's values. */
export class GrantInputError extends Error {
  constructor(readonly key: MessageKey, readonly field: GrantField, readonly vars: Record<string, string> = {}) {
    super(translator('en')(key, vars)); // the operator's CLI prints it as it is
  }
}
export type GrantField = 'account' | 'kind' | 'jurisdiction' | 'categories';

export interface NewGrant { accountId: number; kind: string; jurisdictionOid: string; categories: string[] }

/**
 * What the pages and the API add to the CLI's checks: the organisation exists, a main account is a
 * school's (seed 001: a school with a school code, held by one of its accounts), and the holder
 * is not an applicant still under review. The operator's CLI may name an OID before its
 * organisation is imported.
 */
async function designationProblem(deps: Deps, kind: GrantKind, oid: string, holder: { unit_oid: string; state: string }): Promise<GrantInputError | null> {
  if (kind === 'central') return new GrantInputError('grant.error.centralByOperator', 'kind');
  if (holder.state === 'pending') return new GrantInputError('grant.error.accountState', 'account');
  const org = await findOrgWithTenantCode(deps.db, oid);
  if (!org) return new GrantInputError('grant.error.orgUnknown', 'jurisdiction');
  if (kind === 'main_account' && !org.tenant_code) return new GrantInputError('grant.error.notTenant', 'jurisdiction');
  if (kind === 'main_account' && !isWithin(holder.unit_oid, oid)) return new GrantInputError('grant.error.holderOutsideTenant', 'account');
  return null;
}

/**
 * Gives an administration grant (ADM-1, ADM-7): the central authority designates main-account
 * holders and registration administrators, a registration administrator the help desk and unit
 * supervisors of its subtree, never beyond its own grant. A kind, jurisdiction or categories
 * beyond the actor's grant, or a holder outside its jurisdiction, is "not found". One
 * transaction: the grant, its audit event, and the holder's mail.
 */
export async function createGrant(deps: Deps, actor: Actor | null, g: NewGrant, ip: string | null, lang: Lang = 'zh-TW'): Promise<number> {
  if (!(GRANT_KINDS as readonly string[]).includes(g.kind)) throw new GrantInputError('grant.error.kind', 'kind', { kinds: GRANT_KINDS.join(', ') });
  const kind = g.kind as GrantKind;
  if (!isValidOid(g.jurisdictionOid)) throw new GrantInputError('grant.error.oid', 'jurisdiction');
  const categories = [...new Set(g.categories.map((c) => c.trim()).filter(Boolean))].sort();
  if (actor && !authorize(actor, 'grant.create', { oid: g.jurisdictionOid, grant: { kind, categories } })) throw notFound();
  const known = await knownCategories(deps);
  const unknown = categories.filter((c) => c !== '*' && !known.has(c));
  if (unknown.length) throw new GrantInputError('grant.error.categoriesUnknown', 'categories', { list: unknown.join(', ') });
  const account = await requesterOf(deps.db, g.accountId);
  // The holder is an account the actor may see: else a grant list would show people beyond it.
  if (!account || account.state === 'deleted' || (actor && !authorize(actor, 'account.view', { oid: account.unit_oid }))) throw notFound();
  if (actor) {
    const problem = await designationProblem(deps, kind, g.jurisdictionOid, account);
    if (problem) throw problem;
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    // The holder's row is the lock: two identical gives at once cannot both pass the check below.
    await lockAccountRow(trx, account.id);
    if (await holdsSameGrant(trx, account.id, kind, g.jurisdictionOid)) throw new GrantInputError('grant.error.duplicate', 'kind');
    const id = await insertGrant(trx, now, actor?.accountId ?? null, { accountId: account.id, kind, jurisdictionOid: g.jurisdictionOid, categories }, ip, actor ? 'admin' : 'cli');
    await mailHolder(trx, deps, now, lang, { accountId: account.id, kind, jurisdictionOid: g.jurisdictionOid, categories }, true);
    return id;
  });
}

/**
 * Revokes an administration grant (ADM-7), judged as its giving would be: a grant outside the
 * actor's grant scope is "not found"; one it sees but could not have given is refused (403); its
 * own grant is refused (409) — which also keeps the last central authority in place. One
 * transaction: the delete, its audit event, and the holder's mail.
 */
export async function revokeGrant(deps: Deps, actor: Actor, grantId: number, ip: string | null, lang: Lang): Promise<GrantRow> {
  const g = await grantInScope(deps, actor, grantId);
  if (g.accountId === actor.accountId) throw new HttpError(409, 'grant.error.own');
  if (!g.canRevoke) throw new HttpError(403, 'error.forbidden');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteGrantRow(trx, g.id))) throw notFound(); // revoked meanwhile by someone else
    await audit(trx, now, {
      actor: actor.accountId, action: 'admin_grant.revoke', targetType: 'account', targetId: g.accountId, orgOid: g.jurisdictionOid, ip,
      details: { grantId: g.id, kind: g.kind, jurisdictionOid: g.jurisdictionOid, categories: g.categories, via: 'admin' },
    });
    await mailHolder(trx, deps, now, lang, g, false);
  });
  return g;
}

/** Tells the holder, in `trx`, that a grant was given or taken, with names rather than codes. */
async function mailHolder(trx: Db, deps: Deps, now: Date, lang: Lang, g: { accountId: number; kind: GrantKind; jurisdictionOid: string; categories: string[] }, given: boolean) {
  const holder = await holderContact(trx, g.accountId);
  if (!holder.email) return;
  const t = translator(lang);
  const labels = await categoryLabels(trx, lang, t('grant.allCategories'));
  await enqueueMail(trx, now, {
    to: holder.email, template: 'admin.grantChanged', lang,
    vars: {
      name: holder.name, username: holder.username, kind: t(`admin.kind.${g.kind}`), org: await orgLabel(trx, g.jurisdictionOid),
      categories: categoriesText(labels, g.categories, t('grant.noCategories'), lang), at: formatTime(now, lang), given,
      url: `${deps.config.baseUrl.replace(/\/$/, '')}/admin`,
    },
  });
}

/**
 * Writes a grant already checked (kind, OID, known categories, authorize) inside `trx`, audited.
 * createGrant and an approved administrator-designation request (REQ-3, D-06-10) both end here.
 */
export async function insertGrant(trx: Db, now: Date, actorId: number | null, g: NewGrant & { kind: GrantKind }, ip: string | null, via: string): Promise<number> {
  const id = await insertGrantRow(trx, g);
  await audit(trx, now, {
    actor: actorId, action: 'admin_grant.create', targetType: 'account', targetId: g.accountId, orgOid: g.jurisdictionOid, ip,
    details: { grantId: id, kind: g.kind, jurisdictionOid: g.jurisdictionOid, categories: g.categories, via },
  });
  return id;
}

/**
 * Gives a role (角色設定). The actor needs one grant whose jurisdiction holds the account's unit
 * AND whose categories hold the role's system category; an unknown role or an account out of
 * reach is "not found", a role outside the categories is refused with 403.
 */
export async function assignRole(deps: Deps, actor: Actor | null, accountId: number, roleCode: string, ip: string | null): Promise<'added' | 'unchanged'> {
  const account = await requesterOf(deps.db, accountId);
  if (!account || account.state === 'deleted') throw notFound();
  if (actor && !authorize(actor, 'account.view', { oid: account.unit_oid })) throw notFound();
  const category = await roleCategory(deps, roleCode);
  if (category === undefined) throw notFound();
  if (actor && !authorize(actor, 'role.assign', { oid: account.unit_oid, category })) throw new HttpError(403, 'error.forbidden');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await grantRole(trx, accountId, roleCode, actor?.accountId ?? null, now))) return 'unchanged' as const;
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'role.assign', targetType: 'account', targetId: accountId, orgOid: account.unit_oid, ip,
      details: { role: roleCode, category },
    });
    return 'added' as const;
  });
}
