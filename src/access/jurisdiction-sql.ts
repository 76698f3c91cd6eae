// The SQL form of the authorization rule (ADM-2, ARCHITECTURE "Authorization"): the jurisdiction
// predicate that list queries add, built from the scopes `scopeFor`/`systemScopeFor` in
// authorize.ts compute — one rule, two forms, property-tested to agree.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope, SystemScope } from './authorize.ts';
import type { IncidentScope } from './incident-rules.ts';

/** SQL form of a system scope over a system's owner and category columns; an empty scope matches no row. */
export function withinSystemScope(ownerColumn: string, categoryColumn: string, scope: SystemScope): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  const branches = scope.grants.filter((g) => g.categories.length > 0).map((g) => g.categories.includes('*')
    ? withinJurisdiction(ownerColumn, g.root)
    : sql<SqlBool>`(${withinJurisdiction(ownerColumn, g.root)} AND ${sql.ref(categoryColumn)} IN (${sql.join(g.categories)}))`);
  return branches.length ? sql<SqlBool>`(${sql.join(branches, sql` OR `)})` : sql<SqlBool>`false`;
}

/**
 * SQL form of the jurisdiction rule: `column = P OR column LIKE 'P.%'`. OIDs hold only digits
 * and dots, so the prefix needs no LIKE escaping (validated before it reaches here).
 */
export function withinJurisdiction(column: Expression<string> | string, rootOid: string): Expression<SqlBool> {
  if (!/^[0-9.]+$/.test(rootOid)) throw new Error('jurisdiction must be a validated OID');
  const col = typeof column === 'string' ? sql.ref(column) : column;
  // One range in byte order: [P, P + '/') holds P and every P + '.' + …, since '.' < '/' < '0'-'9',
  // and nothing else an OID can be — `…9002` does not reach `…90027`. An index on
  // (column COLLATE "C") serves it (accounts_unit_c).
  return sql<SqlBool>`(${col} COLLATE "C" >= ${rootOid} AND ${col} COLLATE "C" < ${rootOid + '/'})`;
}

/** `oid` is `root` or below it, with the root a column too: withinJurisdiction's byte range. */
export function oidWithin(oid: Expression<string>, root: Expression<string>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${oid} COLLATE "C" >= ${root} COLLATE "C" AND ${oid} COLLATE "C" < (${root} || '/') COLLATE "C")`;
}

/** SQL form of a scope: the OR of its subtrees; an empty scope matches no row. */
export function withinScope(column: Expression<string> | string, scope: Scope): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  if (scope.roots.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(scope.roots.map((r) => withinJurisdiction(column, r)), sql` OR `)})`;
}

/**
 * SQL form of 'incident.view' (INC-8, incident-rules.ts): the agency's own incidents (drafts too),
 * the supervised ones for the competent authority, all for the technical centre, level 3–4 for the
 * national office; drafts only to their own agency. Organisations compare by equality: no prefix.
 */
export function withinIncidentScope(t: string, scope: IncidentScope): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  const col = (c: string) => sql.ref(`${t}.${c}`);
  const branches: Expression<SqlBool>[] = [];
  if (scope.own.length) branches.push(sql<SqlBool>`${col('org_oid')} IN (${sql.join(scope.own)})`);
  const published: Expression<SqlBool>[] = [];
  if (scope.centre) published.push(sql<SqlBool>`true`);
  if (scope.authorities.length) published.push(sql<SqlBool>`${col('authority_oid')} IN (${sql.join(scope.authorities)})`);
  if (scope.major) published.push(sql<SqlBool>`${col('level')} >= 3`);
  if (published.length) branches.push(sql<SqlBool>`(${col('state')} <> 'draft' AND (${sql.join(published, sql` OR `)}))`);
  return branches.length ? sql<SqlBool>`(${sql.join(branches, sql` OR `)})` : sql<SqlBool>`false`;
}
