// GOV-3 review of a run: the items inside the reviewer's jurisdiction (account.view scope, in SQL),
// filtered by unit, recommendation, inactivity and "not yet reviewed", with the progress; and the
// decisions keep / disable / delete / remove role, one by one or in bulk by filter, recorded by
// reviewers who may enable and disable those accounts (account.state scope, in the UPDATE's WHERE).
// Keeping an inactive account needs a reason; after the sign-off no decision changes (409).
import type { Deps } from '../../platform/deps.ts';
import { DAY } from '../../platform/clock.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { decisionProblem, type Decision } from './rules.ts';
import { countInactive, decideItems, findRun, listItems, lockOpenRun, progress, runVisible, type ItemFilter } from './store.ts';

export interface ReviewFilter { unit?: string; recommendation?: 'keep' | 'disable'; inactiveDays?: number; undecided?: boolean }

/** The run, if the caller's scope for `action` reaches part of it; otherwise "not found". */
export async function runFor(deps: Deps, actor: Actor, runId: number, action: 'account.view' | 'account.state' = 'account.view') {
  const scope = scopeFor(actor, action);
  if (scopeIsEmpty(scope) || !await runVisible(deps.db, runId, scope)) throw notFound();
  const run = await findRun(deps.db, runId);
  if (!run) throw notFound();
  return { run, scope };
}

const toItemFilter = (f: ReviewFilter, startedAt: Date): ItemFilter => ({
  unit: f.unit, recommendation: f.recommendation, undecided: f.undecided,
  inactiveBefore: f.inactiveDays ? new Date(startedAt.getTime() - f.inactiveDays * DAY) : undefined,
});

/** A page of the run's items inside the reviewer's jurisdiction, with the progress there. */
export async function reviewItems(deps: Deps, actor: Actor, runId: number, f: ReviewFilter, page: number, pageSize: number) {
  const { run, scope } = await runFor(deps, actor, runId);
  const [items, prog] = await Promise.all([
    listItems(deps.db, runId, scope, toItemFilter(f, run.started_at), pageSize, (page - 1) * pageSize),
    progress(deps.db, runId, scope),
  ]);
  return { run, total: items.total, items: items.rows, progress: prog };
}

export interface DecisionInput { decision: Decision; role?: string; reason?: string; accountIds?: number[]; filter?: ReviewFilter }

/**
 * Records a decision on the chosen items (by account id) or on every item the filter matches,
 * inside the reviewer's account.state scope, in one transaction with one audit event. The run row
 * is locked, so a decision and the sign-off never interleave. Returns how many items were decided.
 */
export async function decide(deps: Deps, actor: Actor, runId: number, d: DecisionInput, ip: string | null): Promise<number> {
  const { run, scope } = await runFor(deps, actor, runId, 'account.state');
  if (run.state !== 'open') throw new HttpError(409, 'campaign.closed');
  const role = d.decision === 'remove_role' ? (d.role ?? '').trim() : '';
  const reason = (d.reason ?? '').trim();
  const f: ItemFilter = { ...toItemFilter(d.filter ?? {}, run.started_at), accountIds: d.accountIds, role: role || undefined };
  const roleProblem = decisionProblem({ decision: d.decision, role, reason: 'x' }, false);
  if (roleProblem) throw new HttpError(422, roleProblem);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    if (!await lockOpenRun(trx, runId)) throw new HttpError(409, 'campaign.closed');
    if (d.decision === 'keep' && !reason && await countInactive(trx, runId, scope, f) > 0) throw new HttpError(422, 'campaign.reasonRequired');
    const n = await decideItems(trx, runId, scope, f, { decision: d.decision, role: role || null, reason: reason || null, by: actor.accountId, at: now });
    if (n === 0) throw new HttpError(d.accountIds?.length === 1 ? 404 : 422, d.accountIds?.length === 1 ? 'error.notFound' : 'campaign.noneSelected');
    await audit(trx, now, {
      actor: actor.accountId, action: 'campaign.decide', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip,
      details: { decision: d.decision, role: role || null, reason: reason || null, count: n, ...(d.accountIds ? { accounts: d.accountIds.slice(0, 50) } : { filter: d.filter ?? {} }) },
    });
    return n;
  });
}
