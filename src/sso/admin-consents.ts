// 同意授權狀況 (SSO-3): for one system, which accounts holding a role in it have consented and
// which have not, so its administrators can chase the non-starters (seed 001). The caller must
// manage the system's client, and sees only accounts inside the jurisdiction of a grant that lets
// it do so — in SQL (withinScope), never filtered afterwards. Each grant is judged alone: a grant
// for another category does not widen the jurisdiction for this system.
import { sql } from 'kysely';
import type { Deps } from '../platform/deps.ts';
import { authorize, isCentral, scopeFor, withinScope, type Actor, type Scope } from '../access/authorize.ts';
import { getClient, type ManagedSystem } from './admin-clients.ts';

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
  const holders = deps.db.selectFrom('accounts as a')
    .leftJoin('sso_consents as c', (j) => j.onRef('c.account_id', '=', 'a.id').on('c.system_code', '=', code))
    .where('a.state', '!=', 'deleted')
    .where(withinScope('a.unit_oid', scope))
    .where((eb) => eb.exists(eb.selectFrom('role_grants as rg').innerJoin('roles as r', 'r.code', 'rg.role_code')
      .select(sql.lit(1).as('one')).whereRef('rg.account_id', '=', 'a.id').where('r.system_code', '=', code)));
  const filtered = opts.status === 'consented' ? holders.where('c.account_id', 'is not', null)
    : opts.status === 'pending' ? holders.where('c.account_id', 'is', null) : holders;
  const [counts, total, rows] = await Promise.all([
    holders.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('c.account_id').as('consented')]).executeTakeFirstOrThrow(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    filtered.select(['a.id', 'a.username', 'a.name', 'a.unit_oid', 'c.granted_at', 'c.claims'])
      .orderBy(sql`a.unit_oid COLLATE "C"`).orderBy('a.username').limit(pageSize).offset((opts.page - 1) * pageSize).execute(),
  ]);
  return {
    system, status: opts.status, page: opts.page, pageSize,
    holders: Number(counts.n), consented: Number(counts.consented), total: Number(total.n),
    rows: rows.map((r) => ({ accountId: r.id, username: r.username, name: r.name, unitOid: r.unit_oid, consentedAt: r.granted_at, claims: r.claims ?? [] })),
  };
}
