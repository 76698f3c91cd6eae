// Reading accounts as an administrator (ADM-2, ADM-4): search and view. The jurisdiction is part
// of the SQL (withinScope), so rows, counts and pages never include an account outside it; a
// single account outside it is "not found", exactly like an unknown one.
import type { Deps } from '../platform/deps.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, scopeFor, scopeIsEmpty, type Actor } from '../access/authorize.ts';
import { nationalIdIndex } from '../accounts/store.ts';
import { maskNationalId, normaliseNationalId } from '../accounts/national-id.ts';
import { findLiveAccountWithUnit, searchAccountRows } from './account-queries.ts';
import { heldRoleCodesInOrder } from './role-store.ts';

export interface AccountFilters { unit?: string; q?: string; nationalId?: string; page: number; pageSize: number }

export interface AccountSummary {
  id: number; username: string; name: string; unitOid: string; state: string;
  activatedAt: string | null; lastLoginAt: string | null; nationalIdMasked: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A search counts its matches up to this many and then says "1,000 or more": counting every one
 * of a ministry's 200,000 accounts cost 34–92 ms, over the 25 ms goal, while nobody pages through
 * a thousand rows — a search that broad is refined (bench/admin-search).
 */
export const COUNT_CAP = 1000;

export interface SearchResult { total: number; totalExact: boolean; items: AccountSummary[] }

/** Search (公務員查詢): unit subtree, name keyword, exact national ID; paged; deleted accounts never shown. */
export async function searchAccounts(deps: Deps, actor: Actor, f: AccountFilters): Promise<SearchResult> {
  const scope = scopeFor(actor, 'account.view');
  // No grant that may view accounts: the search itself does not exist for this caller.
  if (scopeIsEmpty(scope)) throw notFound();
  const nationalIdHmac = f.nationalId ? nationalIdIndex(deps.keyring, normaliseNationalId(f.nationalId)) : undefined;
  // The count stops after COUNT_CAP + 1 matches: enough to tell "exactly n" from "more than the cap".
  const { matches: n, rows } = await searchAccountRows(deps.db, scope, { unit: f.unit, q: f.q, nationalIdHmac }, COUNT_CAP, f.pageSize, (f.page - 1) * f.pageSize);
  return {
    total: Math.min(n, COUNT_CAP),
    totalExact: n <= COUNT_CAP,
    items: rows.map((r) => ({
      id: r.id, username: r.username, name: r.name, unitOid: r.unit_oid, state: r.state,
      activatedAt: iso(r.activated_at), lastLoginAt: iso(r.last_login_at),
      nationalIdMasked: r.national_id_enc ? maskNationalId(deps.keyring.decrypt(r.national_id_enc)) : null,
    })),
  };
}

/** One account's administrative view; outside the caller's jurisdiction it does not exist. */
export async function getAccount(deps: Deps, actor: Actor, id: number) {
  const a = await findLiveAccountWithUnit(deps.db, id);
  if (!a || !authorize(actor, 'account.view', { oid: a.unit_oid })) throw notFound();
  const roles = await heldRoleCodesInOrder(deps.db, id);
  const lastLogin = [a.last_password_login_at, a.last_certificate_login_at, a.last_passkey_login_at].filter((d): d is Date => d !== null)
    .sort((x, y) => y.getTime() - x.getTime())[0] ?? null;
  return {
    id: a.id, username: a.username, name: a.name, unitOid: a.unit_oid, unitName: a.unit_name, state: a.state,
    activatedAt: iso(a.activated_at), lastLoginAt: iso(lastLogin),
    lastPasswordLoginAt: iso(a.last_password_login_at), lastCertificateLoginAt: iso(a.last_certificate_login_at),
    nationalIdMasked: a.national_id_enc ? maskNationalId(deps.keyring.decrypt(a.national_id_enc)) : null,
    birthMonth: a.birth_month, birthDay: a.birth_day, email: a.email, mobile: a.mobile, title: a.title,
    department: a.department, officePhone: a.office_phone, officeExt: a.office_ext, staffCode: a.staff_code,
    roles,
  };
}
