// Administration grants and role grants (ADM-1, ADM-2, ADM-5, ADM-7): one transaction each,
// `authorize` first, audited. `actor` null is the operator's CLI, which has full authority.
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { HttpError, notFound } from '../platform/http/errors.ts';
import { isValidOid } from '../orgs/oid.ts';
import { authorize, GRANT_KINDS, type Actor, type GrantKind } from './authorize.ts';
import { knownCategories, roleCategory } from './systems.ts';

export class GrantInputError extends Error {}

export interface NewGrant { accountId: number; kind: string; jurisdictionOid: string; categories: string[] }

/** Gives an administration grant. Refused (as "not found") beyond the actor's own grant (ADM-7). */
export async function createGrant(deps: Deps, actor: Actor | null, g: NewGrant, ip: string | null): Promise<number> {
  if (!(GRANT_KINDS as readonly string[]).includes(g.kind)) throw new GrantInputError(`kind must be one of ${GRANT_KINDS.join(', ')}`);
  const kind = g.kind as GrantKind;
  if (!isValidOid(g.jurisdictionOid)) throw new GrantInputError('the jurisdiction must be a valid OID');
  const categories = [...new Set(g.categories.map((c) => c.trim()).filter(Boolean))].sort();
  if (actor && !authorize(actor, 'grant.create', { oid: g.jurisdictionOid, grant: { kind, categories } })) throw notFound();
  const known = await knownCategories(deps);
  const unknown = categories.filter((c) => c !== '*' && !known.has(c));
  if (unknown.length) throw new GrantInputError(`unknown categories: ${unknown.join(', ')}`);
  const account = await deps.db.selectFrom('accounts').select(['id', 'unit_oid', 'state']).where('id', '=', g.accountId).executeTakeFirst();
  if (!account || account.state === 'deleted') throw notFound();
  const now = deps.clock.now();
  return deps.db.transaction().execute((trx) => insertGrant(trx, now, actor?.accountId ?? null, { accountId: account.id, kind, jurisdictionOid: g.jurisdictionOid, categories }, ip, actor ? 'api' : 'cli'));
}

/**
 * Writes a grant already checked (kind, OID, known categories, authorize) inside `trx`, audited.
 * createGrant and an approved administrator-designation request (REQ-3, D-06-10) both end here.
 */
export async function insertGrant(trx: Db, now: Date, actorId: number | null, g: NewGrant & { kind: GrantKind }, ip: string | null, via: string): Promise<number> {
  const row = await trx.insertInto('admin_grants').values({ account_id: g.accountId, kind: g.kind, jurisdiction_oid: g.jurisdictionOid, categories: g.categories })
    .returning('id').executeTakeFirstOrThrow();
  await audit(trx, now, {
    actor: actorId, action: 'admin_grant.create', targetType: 'account', targetId: g.accountId, orgOid: g.jurisdictionOid, ip,
    details: { grantId: row.id, kind: g.kind, jurisdictionOid: g.jurisdictionOid, categories: g.categories, via },
  });
  return row.id;
}

/**
 * Gives a role (角色設定). The actor needs one grant whose jurisdiction holds the account's unit
 * AND whose categories hold the role's system category; an unknown role or an account out of
 * reach is "not found", a role outside the categories is refused with 403.
 */
export async function assignRole(deps: Deps, actor: Actor | null, accountId: number, roleCode: string, ip: string | null): Promise<'added' | 'unchanged'> {
  const account = await deps.db.selectFrom('accounts').select(['id', 'unit_oid', 'state']).where('id', '=', accountId).executeTakeFirst();
  if (!account || account.state === 'deleted') throw notFound();
  if (actor && !authorize(actor, 'account.view', { oid: account.unit_oid })) throw notFound();
  const category = await roleCategory(deps, roleCode);
  if (category === undefined) throw notFound();
  if (actor && !authorize(actor, 'role.assign', { oid: account.unit_oid, category })) throw new HttpError(403, 'error.forbidden');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('role_grants').values({ account_id: accountId, role_code: roleCode, granted_by: actor?.accountId ?? null, granted_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'role_code']).doNothing()).returning('role_code').executeTakeFirst();
    if (!inserted) return 'unchanged' as const;
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'role.assign', targetType: 'account', targetId: accountId, orgOid: account.unit_oid, ip,
      details: { role: roleCode, category },
    });
    return 'added' as const;
  });
}
