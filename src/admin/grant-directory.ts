// Reading administration grants (ADM-1, ADM-2, ADM-7): who may see which, what one may give, and
// names for kinds, organisations and categories. Lists carry the jurisdiction in their SQL
// (`withinScope` on the grant's jurisdiction); what the actor may give is asked of `authorize`.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { notFound } from '../platform/http/errors.ts';
import { isWithin } from '../orgs/oid.ts';
import { authorize, GRANT_KINDS, isCentral, scopeIsEmpty, type Actor, type Grant, type GrantKind, type Scope } from '../access/authorize.ts';
import { categoriesInOrder } from '../sso/systems/store.ts';
import { findOrgByIdentifier, grantRowInScope, grantRows, systemNamesByCategory } from './grant-queries.ts';

/** Kinds the pages and the API give: the central authority's own grant stays with the operator's CLI. */
export const DELEGABLE_KINDS = GRANT_KINDS.filter((k) => k !== 'central');

/** Whether this one grant of the actor may give `kind` with `categories` somewhere in its jurisdiction. */
const grantGives = (actor: Actor, g: Grant, kind: GrantKind, categories: string[]) =>
  authorize({ ...actor, grants: [g] }, 'grant.create', { oid: g.jurisdictionOid, grant: { kind, categories } });

/** The actor's grants that may give some grant: their jurisdictions are where it manages grants. */
const givingGrants = (actor: Actor) => actor.grants.filter((g) => DELEGABLE_KINDS.some((k) => grantGives(actor, g, k, [])));

/** Where the actor manages grants: everything for the central authority, else its giving grants' subtrees. */
export function grantScope(actor: Actor): Scope {
  if (isCentral(actor)) return { all: true };
  const roots = [...new Set(givingGrants(actor).map((g) => g.jurisdictionOid))];
  return { all: false, roots: roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o))).sort() };
}

/** The kinds the actor may give, in GRANT_KINDS order. */
export const givableKinds = (actor: Actor): GrantKind[] => DELEGABLE_KINDS.filter((k) => actor.grants.some((g) => grantGives(actor, g, k, [])));

/** The categories the actor may put in a grant ('*' only when one of its grants holds '*'). */
export async function givableCategories(db: Db, actor: Actor): Promise<string[]> {
  const known = await categoriesInOrder(db);
  const may = (c: string) => actor.grants.some((g) => DELEGABLE_KINDS.some((k) => grantGives(actor, g, k, [c])));
  return [...(may('*') ? ['*'] : []), ...known.filter(may)];
}

/** A category's name: the names of its application systems ('*' is every category). */
export async function categoryLabels(db: Db, lang: Lang, allLabel: string): Promise<Map<string, string>> {
  const rows = await systemNamesByCategory(db);
  const labels = new Map<string, string>([['*', allLabel]]);
  for (const r of rows) {
    const name = lang === 'en' ? r.name_en : r.name_zh;
    const before = labels.get(r.category);
    labels.set(r.category, before ? `${before}${lang === 'en' ? '; ' : '、'}${name}` : name);
  }
  return labels;
}

/** Categories as names, joined; an unknown code (a system since removed) is shown as it is. */
export const categoriesText = (labels: Map<string, string>, categories: string[], none: string, lang: Lang) =>
  categories.length ? categories.map((c) => labels.get(c) ?? c).join(lang === 'en' ? '; ' : '；') : none;


/**
 * The organisation a person typed: its OID, agency code (any case) or school code. Undefined when
 * none matches; the caller decides whether it lies in the jurisdiction.
 */
export async function resolveOrg(db: Db, text: string) {
  const q = text.trim().slice(0, 200);
  if (!q) return undefined;
  return findOrgByIdentifier(db, q);
}

export interface GrantRow {
  id: number; accountId: number; username: string; name: string; kind: GrantKind;
  jurisdictionOid: string; orgName: string | null; categories: string[]; createdAt: Date; canRevoke: boolean;
  /** A holder's account may lie outside the viewer's jurisdiction (a grant over it does not): then no link to it. */
  canViewHolder: boolean;
}

export interface GrantFilter { kind?: string; jurisdiction?: string; accountId?: number; page: number; pageSize: number }

/** Whether the actor may revoke this grant: judged as its giving would be, never one's own or a central one. */
export const mayRevoke = (actor: Actor, g: { accountId: number; kind: string; jurisdictionOid: string; categories: string[] }) =>
  g.accountId !== actor.accountId && g.kind !== 'central'
  && authorize(actor, 'grant.revoke', { oid: g.jurisdictionOid, grant: { kind: g.kind as GrantKind, categories: g.categories } });

const rowOf = (actor: Actor) => (r: { id: number; account_id: number; username: string; name: string; unit_oid: string; kind: string; jurisdiction_oid: string; org_name: string | null; categories: string[]; created_at: Date }): GrantRow => {
  const g = { accountId: r.account_id, kind: r.kind, jurisdictionOid: r.jurisdiction_oid, categories: r.categories };
  return {
    id: r.id, accountId: r.account_id, username: r.username, name: r.name, kind: r.kind as GrantKind, jurisdictionOid: r.jurisdiction_oid,
    orgName: r.org_name, categories: r.categories, createdAt: r.created_at, canRevoke: mayRevoke(actor, g),
    canViewHolder: authorize(actor, 'account.view', { oid: r.unit_oid }),
  };
};

/** The grants inside the actor's grant scope, filtered by kind, jurisdiction subtree and holder. */
export async function listGrants(deps: Deps, actor: Actor, f: GrantFilter): Promise<{ total: number; items: GrantRow[] }> {
  const scope = grantScope(actor);
  if (scopeIsEmpty(scope)) throw notFound();
  const { total, rows } = await grantRows(deps.db, scope, { kind: f.kind, jurisdiction: f.jurisdiction, accountId: f.accountId }, f.pageSize, (f.page - 1) * f.pageSize);
  return { total, items: rows.map(rowOf(actor)) };
}

/** One grant inside the actor's grant scope, or "not found". */
export async function grantInScope(deps: Deps, actor: Actor, id: number): Promise<GrantRow> {
  const scope = grantScope(actor);
  if (scopeIsEmpty(scope)) throw notFound();
  const r = await grantRowInScope(deps.db, scope, id);
  if (!r) throw notFound();
  return rowOf(actor)(r);
}

/** The account page's 管理授權 section: undefined for an administrator who manages no grant. */
export async function accountGrants(deps: Deps, actor: Actor, accountId: number, lang: Lang, allLabel: string) {
  if (scopeIsEmpty(grantScope(actor))) return undefined;
  const [r, labels] = await Promise.all([listGrants(deps, actor, { accountId, page: 1, pageSize: 100 }), categoryLabels(deps.db, lang, allLabel)]);
  return { rows: r.items, labels, canGive: givableKinds(actor).length > 0 };
}
