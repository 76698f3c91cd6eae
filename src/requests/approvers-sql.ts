// Who may decide a step of a request, in SQL (REQ-4, ADM-6). The same predicate serves the review
// queue (requests an actor may decide), the approvers of a request, and countApprovers (the "目前可
// 審核的管理者有 N 位" of an application form). It is the set form of
// authorize(actor, 'request.decide', { oid: org, step, categories }) — test/requests/approvers
// checks the two agree — read in reverse: the GRANT's jurisdiction must be a prefix of the request's
// organisation (withinJurisdiction's byte range with the columns swapped).
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/index.ts';
import type { RequestStepKind } from '../access/authorize.ts';
import { oidWithin } from '../access/jurisdiction-sql.ts';


/** Accounts that can act at all: a disabled, pending or deleted account decides nothing. */
export const LIVE_STATES = ['enabled', 'not_activated'];

export interface StepTarget { org: Expression<string>; step: Expression<string | null>; categories: Expression<string[]> }

/**
 * True when the admin_grants row `g` lets its holder decide `step` of a request of `org` with
 * `categories`. Mirrors grantAllows in src/access/authorize.ts: the central authority decides
 * everything; unit supervisors decide supervisor steps of their subtree; registration
 * administrators and main-account holders decide administrator steps of their subtree when their
 * categories cover the request's ('*' covers all); nobody else decides central steps.
 */
export function grantDecides(g: string, r: StepTarget): RawBuilder<SqlBool> {
  const kind = sql.ref(`${g}.kind`), root = sql.ref<string>(`${g}.jurisdiction_oid`), cats = sql.ref(`${g}.categories`);
  const covers = oidWithin(r.org, root);
  return sql<SqlBool>`(${kind} = 'central' OR (${covers} AND (
    (${r.step} = 'supervisor' AND ${kind} = 'unit_supervisor')
    OR (${r.step} = 'administrator' AND ${kind} IN ('registration_admin', 'main_account')
        AND ('*' = ANY(${cats}) OR ${r.categories} <@ ${cats})))))`;
}

/** A request's own columns as the target (alias `r`). */
export const pendingStepOf = (r: string): StepTarget => ({
  org: sql.ref(`${r}.org_oid`), step: sql.ref(`${r}.step_kind`), categories: sql.ref(`${r}.categories`),
});

/** Given values as the target (bound parameters). */
export const stepTarget = (org: string, step: RequestStepKind, categories: string[]): StepTarget => ({
  org: sql.val(org), step: sql.val(step), categories: sql`${sql.val(categories)}::text[]`,
});

/** Accounts with a grant deciding `target`, live, and not among `exclude` (requester and subject never decide their own request). */
export function approversQuery(db: Db, target: StepTarget, exclude: (number | null | undefined)[], central = true) {
  const out = exclude.filter((x): x is number => typeof x === 'number');
  let q = db.selectFrom('accounts as a').where('a.state', 'in', LIVE_STATES)
    .where(({ exists, selectFrom }) => {
      let g = selectFrom('admin_grants as g').select(sql.lit(1).as('one')).whereRef('g.account_id', '=', 'a.id').where(grantDecides('g', target));
      if (!central) g = g.where('g.kind', '!=', 'central');
      return exists(g);
    });
  if (out.length) q = q.where('a.id', 'not in', out);
  return q;
}

/** How many accounts approversQuery finds. */
export async function countApproversOf(db: Db, target: StepTarget, exclude: (number | null | undefined)[], central = true): Promise<number> {
  const row = await approversQuery(db, target, exclude, central).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The categories of `systems`, or null when one of them is not registered. */
export async function categoriesOf(db: Db, systems: string[]): Promise<string[] | null> {
  const unique = [...new Set(systems)];
  if (unique.length === 0) return [];
  const rows = await db.selectFrom('application_systems').select(['code', 'category']).where('code', 'in', unique).execute();
  if (rows.length !== unique.length) return null;
  return [...new Set(rows.map((r) => r.category))].sort();
}
