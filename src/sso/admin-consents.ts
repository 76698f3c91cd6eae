// 同意授權狀況 (SSO-3): for one system, which accounts holding a role in it have consented and
// which have not, so its administrators can chase the non-starters (seed 001). The caller must
// manage the system's client, and sees only accounts inside the jurisdiction of a grant that lets
// it do so — in SQL (withinScope), never filtered afterwards. Each grant is judged alone: a grant
// for another category does not widen the jurisdiction for this system.
import type { Deps } from '../platform/deps.ts';
import { authorize, isCentral, scopeFor, type Actor, type Scope } from '../access/authorize.ts';
import { getClient, type ManagedSystem } from './admin-clients.ts';
import { consentReportRows } from './admin-consents-store.ts';

export type ConsentStatus = 'all' | 'consented' | 'pending';
export const CONSENT_STATUSES: readonly ConsentStatus[] = ['all', 'consented', 'pending'];
export const CONSENTS_PER_PAGE = 50;

export interface ConsentRow { accountId: number; username: string; name: string; unitOid: string; consentedAt: Date | null; claims: string[] }
export interface ConsentReport {
  system: ManagedSystem; status: ConsentStatus; page: number; pageSize: number;
  /** Accounts inside the caller's jurisdiction holding a role in the system, and how many of them consented. */
  holders: number; consented: number;
  /** Rows matching `status` (for paging). */
  total: number;
  rows: ConsentRow[];
}

/** The accounts the report may show: the union of the subtrees of the grants that may manage this system's client. */
export function consentScope(actor: Actor, system: { ownerOid: string; category: string }): Scope {
  if (isCentral(actor)) return { all: true };
  const roots = actor.grants
    .filter((g) => authorize({ accountId: actor.accountId, grants: [g] }, 'client.manage', { oid: system.ownerOid, category: system.category }))
    .flatMap((g) => { const s = scopeFor({ accountId: actor.accountId, grants: [g] }, 'account.view'); return s.all ? [] : s.roots; });
  return { all: false, roots: [...new Set(roots)].sort() };
}

export async function consentReport(deps: Deps, actor: Actor, code: string, opts: { status: ConsentStatus; page: number; pageSize?: number }): Promise<ConsentReport> {
  const { configured: _c, client: _client, issuer: _i, discoveryUrl: _d, ...system } = await getClient(deps, actor, code);
  const scope = consentScope(actor, system);
  const pageSize = opts.pageSize ?? CONSENTS_PER_PAGE;
  const { holders, consented, total, rows } = await consentReportRows(deps.db, code, scope, opts.status, opts.page, pageSize);
  return {
    system, status: opts.status, page: opts.page, pageSize, holders, consented, total,
    rows: rows.map((r) => ({ accountId: r.id, username: r.username, name: r.name, unitOid: r.unit_oid, consentedAt: r.granted_at, claims: r.claims ?? [] })),
  };
}
