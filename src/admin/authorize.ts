// The one authorization point (ADM-2, ARCHITECTURE "Authorization"): every screen, API call,
// export and search asks `authorize`; list queries add `withinJurisdiction` to their SQL.
import { sql, type Expression, type SqlBool } from 'kysely';
import { isWithin } from '../orgs/oid.ts';

export type GrantKind = 'central' | 'registration_admin' | 'main_account' | 'unit_supervisor' | 'helpdesk';
export interface Grant { kind: GrantKind; jurisdictionOid: string; categories: string[] }

export interface Actor { accountId: number; grants: Grant[] }

export type Action =
  | 'org.manage'        // create, move, import organisations
  | 'policy.manage'     // set policy on a node
  | 'audit.read'        // audit trail page and export
  | 'account.unlock'    // clear a lock-out
  | 'account.move';     // move an account to another unit (ORG-4): checked for both units

/** What the action is about: an organisation node or an account's unit, when there is one. */
export interface Target { oid?: string }

const CENTRAL_ONLY: ReadonlySet<Action> = new Set(['org.manage', 'policy.manage', 'audit.read']);

/** Pure decision. Central authority may do everything; other grants act inside their jurisdiction. */
export function authorize(actor: Actor | null, action: Action, target: Target = {}): boolean {
  if (!actor) return false;
  if (actor.grants.some((g) => g.kind === 'central')) return true;
  if (CENTRAL_ONLY.has(action)) return false;
  const oid = target.oid;
  if (oid === undefined) return false;
  return actor.grants.some((g) => (g.kind === 'registration_admin' || g.kind === 'helpdesk') && isWithin(oid, g.jurisdictionOid));
}

/**
 * SQL form of the jurisdiction rule: `column = P OR column LIKE 'P.%'`. OIDs hold only digits
 * and dots, so the prefix needs no LIKE escaping (validated before it reaches here).
 */
export function withinJurisdiction(column: Expression<string> | string, rootOid: string): Expression<SqlBool> {
  if (!/^[0-9.]+$/.test(rootOid)) throw new Error('jurisdiction must be a validated OID');
  const col = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`(${col} = ${rootOid} OR ${col} LIKE ${rootOid + '.%'})`;
}
