// The one authorization point (ADM-1, ADM-2, ADM-7, ARCHITECTURE "Authorization"): every screen,
// API call, export and search asks `authorize`; list queries add `withinScope` (jurisdiction-sql.ts, built
// from `scopeFor`, the same rule) to their SQL, never filtering rows in memory afterwards.
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { incidentAllows, type IncidentAction, type IncidentRoleHeld, type IncidentTarget } from './incident-rules.ts';

export const GRANT_KINDS = ['central', 'registration_admin', 'main_account', 'unit_supervisor', 'helpdesk'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];
/** `categories` are application-system categories (可設定的應用系統類別); '*' means every category. */
export interface Grant { kind: GrantKind; jurisdictionOid: string; categories: string[] }

/** `incidentRoles`: the incident system's roles the account holds, each for its organisation (INC-8). */
export interface Actor { accountId: number; grants: Grant[]; incidentRoles?: IncidentRoleHeld[] }

export type Action =
  | 'org.manage'        // create, move, import organisations
  | 'policy.manage'     // set policy on a node
  | 'audit.read'        // audit trail page and export
  | 'operations.read'   // the scheduled jobs and their runs (issue 14, OPS-2)
  | 'system.read'       // the application-system and role registry (SSO-1): not personal data
  | 'system.manage'     // register or change application systems and roles
  | 'trust.manage'      // the certificate authorities trusted for citizen-certificate sign-in (AUTH-8)
  | 'account.view'      // view one account, or search/list/export accounts (ADM-4)
  | 'account.create'    // add an account (ADM-3)
  | 'account.update'    // modify the profile (ADM-5)
  | 'account.state'     // enable / disable
  | 'account.delete'    // irreversible delete (tombstone)
  | 'account.resetPassword'   // back to the initial password (還原密碼)
  | 'account.oneDayPassword'  // enable a one-day password (AUTH-7)
  | 'account.unlock'    // clear a lock-out
  | 'account.resendMail'      // resend the verification mail (補寄驗證信)
  | 'account.move'      // move an account to another unit (ORG-4): checked for both units
  | 'tenant.transferMain'     // hand one's own main-account grant to a successor (ACC-8): target.oid = the tenant
  | 'role.assign'       // give or take a role: target.oid = the account's unit, target.category = the role's system category
  | 'grant.create'      // give an administration grant: target.oid = its jurisdiction, target.grant = kind and categories
  | 'grant.revoke'      // take one away: same target as when it was given
  | 'client.manage'     // an application system's OIDC client, secret and consent report (SSO-1..3): target.oid = its owner, target.category = its category
  | 'announcement.manage'     // announcements (SSO-5): target as client.manage; platform-wide ones (no system) are the central authority's
  | 'request.decide'    // decide one step of a request (REQ-4): target.oid = the request's organisation, target.step, target.categories
  | 'incident.authority.manage' // mark competent authorities on the organisation tree (INC-8): central authority only
  | IncidentAction;     // incident-rules.ts (INC-8)

/** What the action is about. */
export interface Target extends IncidentTarget {
  /** An organisation node, an account's unit, the jurisdiction of a grant being given, or the owner of an application system. */
  oid?: string;
  /** role.assign, client.manage, announcement.manage: the category of the (role's) application system. */
  category?: string;
  /** grant.create / grant.revoke: the grant being given or taken. */
  grant?: { kind: GrantKind; categories: string[] };
  /** request.decide: who the step is for, and the categories of the request's systems (none for a request without systems). */
  step?: RequestStepKind;
  categories?: string[];
}

/** Who decides a step of a request (REQ-3, REQ-4): the unit supervisor, an administrator of the organisation, or the central authority. */
export type RequestStepKind = 'supervisor' | 'administrator' | 'central';

const CENTRAL_ONLY: ReadonlySet<Action> = new Set(['org.manage', 'policy.manage', 'audit.read', 'operations.read', 'system.manage', 'trust.manage', 'incident.authority.manage']);

const VIEW: Action[] = ['account.view'];
const HELPDESK: Action[] = [...VIEW, 'account.unlock', 'account.resendMail'];
const TENANT_ADMIN: Action[] = [...HELPDESK, 'account.create', 'account.update', 'account.state', 'account.delete',
  'account.resetPassword', 'role.assign'];

/** What each kind may do inside its jurisdiction. Central is not listed: it may do everything. */
const KIND_ACTIONS: Record<Exclude<GrantKind, 'central'>, ReadonlySet<Action>> = {
  // Seed 003's 業務帳號註冊管理者: the whole account lifecycle, role assignment, and the grants below.
  registration_admin: new Set<Action>([...TENANT_ADMIN, 'account.oneDayPassword', 'account.move', 'grant.create', 'grant.revoke',
    'client.manage', 'announcement.manage', 'request.decide']),
  // Seed 001's 主帳號: creates and manages the tenant's sub-accounts and their system access.
  // Transfer moves the holder's own grant (ACC-8); no other kind holds one to move.
  main_account: new Set<Action>([...TENANT_ADMIN, 'tenant.transferMain', 'request.decide']),
  // Approves requests (REQ, later); sees the accounts of the unit, changes nothing.
  unit_supervisor: new Set<Action>([...VIEW, 'request.decide']),
  // 客服 (ADM-1): view status, unlock, resend mail; no edits.
  helpdesk: new Set<Action>(HELPDESK),
};

/**
 * Grant kinds each kind may give (ADM-7). Only the central authority designates registration
 * administrators and main-account holders; a registration administrator may designate the
 * help-desk and unit supervisors of its own subtree.
 */
const GRANTABLE: Record<GrantKind, ReadonlySet<GrantKind>> = {
  central: new Set(GRANT_KINDS),
  registration_admin: new Set(['unit_supervisor', 'helpdesk']),
  main_account: new Set(),
  unit_supervisor: new Set(),
  helpdesk: new Set(),
};

export const isCentral = (actor: Actor): boolean => actor.grants.some((g) => g.kind === 'central');

/** The grant kinds that may ever do `action` (central: everything), for narrowing a query of grants before `authorize`. */
export const kindsThatMay = (action: Action): GrantKind[] => GRANT_KINDS.filter((k) => k === 'central' || KIND_ACTIONS[k].has(action));

/** True when `outer` lists every category of `inner` ('*' covers all, and only '*' covers '*'). */
export function categoriesCover(outer: string[], inner: string[]): boolean {
  return outer.includes('*') || inner.every((c) => c !== '*' && outer.includes(c));
}

/** One grant's answer. Each grant is judged alone, so two grants never combine into more than either gives. */
function grantAllows(g: Grant, action: Action, target: Target): boolean {
  if (g.kind === 'central') return true;
  if (!KIND_ACTIONS[g.kind].has(action)) return false;
  const oid = target.oid;
  if (oid === undefined || !isWithin(oid, g.jurisdictionOid)) return false;
  // A system's client and announcements: the grant's jurisdiction covers the system's owner (so a
  // platform-wide system, owned by the national root, is out of every subtree's reach) AND its
  // categories cover the system's (SSO-1, issue 9 item 1).
  if (action === 'role.assign' || action === 'client.manage' || action === 'announcement.manage') {
    return target.category !== undefined && categoriesCover(g.categories, [target.category]);
  }
  if (action === 'request.decide') {
    if (target.step === 'supervisor') return g.kind === 'unit_supervisor';
    return target.step === 'administrator' && g.kind !== 'unit_supervisor' && categoriesCover(g.categories, target.categories ?? []);
  }
  if (action === 'grant.create' || action === 'grant.revoke') {
    const given = target.grant;
    return given !== undefined && isValidOid(oid) && GRANTABLE[g.kind].has(given.kind) && categoriesCover(g.categories, given.categories);
  }
  return true;
}

/** Pure decision. Central authority may do everything; other grants act inside their jurisdiction. */
export function authorize(actor: Actor | null, action: Action, target: Target = {}): boolean {
  if (!actor) return false;
  if (isCentral(actor)) return true;
  if (action === 'system.read') return true;
  if (CENTRAL_ONLY.has(action)) return false;
  if (action.startsWith('incident.')) return incidentAllows(actor.incidentRoles ?? [], actor.grants, action as IncidentAction, target);
  return actor.grants.some((g) => grantAllows(g, action, target));
}

/**
 * The set form of `authorize` for 'client.manage' and 'announcement.manage': the (jurisdiction,
 * categories) pairs of the grants that may do it, for `withinSystemScope` in list queries.
 * `authorize(actor, action, { oid: owner, category })` holds exactly when one pair covers both (property-tested).
 */
export type SystemScope = { all: true } | { all: false; grants: { root: string; categories: string[] }[] };

export function systemScopeFor(actor: Actor | null, action: 'client.manage' | 'announcement.manage'): SystemScope {
  if (actor && isCentral(actor)) return { all: true };
  const grants = (actor?.grants ?? []).filter((g) => g.kind !== 'central' && KIND_ACTIONS[g.kind].has(action));
  return { all: false, grants: grants.map((g) => ({ root: g.jurisdictionOid, categories: g.categories })) };
}

/** The accounts an action may reach, for SQL: everything, or the union of some subtrees. */
export type Scope = { all: true } | { all: false; roots: string[] };

/**
 * The set form of `authorize` for actions whose answer depends only on the unit OID:
 * `authorize(actor, action, { oid })` holds exactly when `oid` lies in the scope (property-tested).
 * Roots covered by another root are dropped, so the SQL has no redundant branches.
 */
export function scopeFor(actor: Actor | null, action: Action): Scope {
  if (actor && isCentral(actor)) return { all: true };
  if (!actor || action === 'role.assign' || action === 'grant.create' || action === 'grant.revoke'
    || action === 'client.manage' || action === 'announcement.manage' || action === 'request.decide') return { all: false, roots: [] };
  const roots = [...new Set(actor.grants.filter((g) => g.kind !== 'central' && KIND_ACTIONS[g.kind].has(action)).map((g) => g.jurisdictionOid))];
  return { all: false, roots: roots.filter((r) => !roots.some((o) => o !== r && isWithin(r, o))).sort() };
}

export const scopeIsEmpty = (s: Scope): boolean => !s.all && s.roots.length === 0;
