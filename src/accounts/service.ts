// Account use cases: one transaction each, authorization first, audited.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { HttpError } from '../platform/http/errors.ts';
import { isValidOid } from '../orgs/oid.ts';
import { findAccountByUsername, getAccount, lockUnitForShare, setAccountUnit, updateAccountFields, type AccountFields } from './store.ts';
import { validateProfile, type FieldErrors } from './profile.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import type { Account } from '../db/types.ts';

export type MoveAccountError = 'orgs.invalidOid' | 'orgs.parentMissing' | 'account.sameUnit';

/**
 * Moves an account to another unit (ORG-4). The actor must be allowed on the old and the new
 * unit; `actor` null is the operator's CLI. Unknown or out-of-reach accounts look the same.
 */
export async function moveAccount(deps: Deps, actor: Actor | null, username: string, newUnitOid: string, ip: string | null):
  Promise<{ ok: true; from: string } | { ok: false; error: MoveAccountError }> {
  if (!isValidOid(newUnitOid)) return { ok: false, error: 'orgs.invalidOid' };
  const account = await findAccountByUsername(deps.db, username);
  if (!account || account.state === 'deleted') throw new HttpError(404, 'error.notFound');
  if (actor && !(authorize(actor, 'account.move', { oid: account.unit_oid }) && authorize(actor, 'account.move', { oid: newUnitOid }))) {
    throw new HttpError(404, 'error.notFound');
  }
  if (account.unit_oid === newUnitOid) return { ok: false, error: 'account.sameUnit' };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockUnitForShare(trx, newUnitOid))) return { ok: false as const, error: 'orgs.parentMissing' as const };
    const now = deps.clock.now();
    await setAccountUnit(trx, account.id, newUnitOid, now);
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'account.move', targetType: 'account', targetId: account.id, orgOid: newUnitOid, ip,
      details: { before: { unitOid: account.unit_oid }, after: { unitOid: newUnitOid }, via: actor ? 'web' : 'cli' },
    });
    return { ok: true as const, from: account.unit_oid };
  });
}

/** The fields a user maintains (ACC-5); organisation, unit, name and national ID are locked (ACC-4). */
export const FREE_FIELDS = ['birthMonth', 'birthDay', 'email', 'mobile', 'title', 'department', 'address',
  'officePhone', 'officeExt', 'fax', 'staffCode', 'postalCode'] as const;
export type FreeField = (typeof FREE_FIELDS)[number];

const COLUMN: Record<FreeField, keyof Account> = {
  birthMonth: 'birth_month', birthDay: 'birth_day', email: 'email', mobile: 'mobile', title: 'title', department: 'department',
  address: 'address', officePhone: 'office_phone', officeExt: 'office_ext', fax: 'fax', staffCode: 'staff_code', postalCode: 'postal_code',
};

/**
 * Self-service profile maintenance (ACC-5): validates the whole profile with the locked fields
 * taken from the record (whatever the form says), writes only the free fields, audits which
 * fields changed (names only: the values are personal data).
 */
export async function updateOwnProfile(deps: Deps, accountId: number, input: Partial<Record<FreeField, string>>, ip: string | null):
  Promise<{ ok: true; changed: FreeField[] } | { ok: false; errors: FieldErrors }> {
  const account = await getAccount(deps.db, accountId);
  const { policy } = await effectivePolicyFor(deps.db, account.unit_oid);
  const nationalId = account.national_id_enc ? deps.keyring.decrypt(account.national_id_enc) : '';
  const r = validateProfile({ ...input, name: account.name, nationalId }, { ...policy, 'nationalId.required': false });
  if (!r.profile) return { ok: false, errors: r.errors };
  const p = r.profile;
  const changed = FREE_FIELDS.filter((f) => (account[COLUMN[f]] ?? null) !== (p[f] ?? null));
  if (changed.length === 0) return { ok: true, changed };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await updateAccountFields(trx, accountId, Object.fromEntries(changed.map((f) => [COLUMN[f], p[f]])) as AccountFields, now);
    await audit(trx, now, {
      actor: accountId, action: 'account.profile.update', targetType: 'account', targetId: accountId,
      orgOid: account.unit_oid, ip, details: { changed },
    });
  });
  return { ok: true, changed };
}
