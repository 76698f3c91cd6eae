// GOV-3, GOV-4, OPS-7: carrying out a signed review. The frozen items are carried out in batches
// through the administrators' own use cases — disable (setAccountState), delete (deleteAccounts),
// role removal (setRoles), each audited by them as the signer's action — unanswered items by the
// definition's default; each item's outcome and the run's count of items done are recorded per
// batch, so the page and the API show progress (done / total) and a run resumes where it stopped.
// One instance at a time holds a run under a lease (the outbox's pattern); the campaigns.execute
// job takes over a run whose instance died once its lease lapses. The last batch keeps the report:
// CSV, PDF and the D-06-20 form, with their SHA-256 in the `campaign.execute` audit event.
import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { MINUTE } from '../../platform/clock.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { loadActor } from '../../access/actor.ts';
import type { Actor } from '../../access/authorize.ts';
import { deleteAccounts, setAccountState } from '../../admin/account-actions.ts';
import { roleChoices, setRoles } from '../../admin/role-assignment.ts';
import { rolesWithSystems } from '../../admin/role-store.ts';
import { effectOf, type Effect } from './rules.ts';
import { renderReports, type Item } from './report.ts';
import {
  accountStateOf, allItems, claimExecution, findRun, pendingItems, releaseExecution, runsToExecute, setOutcomes, storeReport,
} from './store.ts';

/** Items per batch: each batch records its outcomes and renews the lease. */
export const BATCH = 200;
export const EXECUTE_LEASE_MS = 5 * MINUTE;

/** Carries one item out through the administrators' use case; the outcome recorded in the report. */
async function carryOut(deps: Deps, signer: Actor, i: Item, effect: Effect, ip: string | null): Promise<string> {
  try {
    if (effect === 'unchanged') return 'unchanged';
    // A batch cut short by a crash is carried out again: what was already done counts as done.
    const now = await accountStateOf(deps.db, i.account_id);
    if (effect === 'delete' && (now === undefined || now === 'deleted')) return 'deleted';
    if (effect === 'disable') {
      const r = await setAccountState(deps, signer, i.account_id, 'disabled', ip);
      return r.ok ? 'disabled' : `failed: ${r.error}`;
    }
    if (effect === 'delete') {
      const r = await deleteAccounts(deps, signer, [i.account_id], ip);
      return r.ok ? 'deleted' : `failed: ${r.error}`;
    }
    const role = i.decision_role!;
    const { grantable } = await roleChoices(deps, signer, i.account_id);
    const mine = grantable.find((r) => r.code === role);
    if (!mine) return 'failed: role not grantable by the signer';
    if (!mine.held) return i.roles.includes(role) ? 'role_removed' : 'unchanged';
    await setRoles(deps, signer, i.account_id, grantable.filter((r) => r.held && r.code !== role).map((r) => r.code), ip);
    return 'role_removed';
  } catch (e) {
    // The account left the signer's jurisdiction or was deleted since the snapshot: recorded, not fatal.
    if (e instanceof HttpError) return `failed: ${e.messageKey}`;
    throw e;
  }
}

export interface ExecuteResult { done: boolean; items: number; executed: Record<string, number> }

/**
 * Carries out what is left of a signed run, batch by batch, while `budgetMs` lasts (real time);
 * null when another instance holds the run. The signer's current grants decide what may be done.
 */
export async function executeRun(deps: Deps, runId: number, instance: string, budgetMs = Infinity, ip: string | null = null): Promise<ExecuteResult | null> {
  const leaseUntil = () => new Date(deps.clock.now().getTime() + EXECUTE_LEASE_MS);
  if (!await claimExecution(deps.db, runId, instance, deps.clock.now(), leaseUntil())) return null;
  const started = Date.now();
  let carried = 0;
  try {
    const run = (await findRun(deps.db, runId))!;
    const signer = await loadActor(deps, run.signed_by!);
    for (;;) {
      const batch = await pendingItems(deps.db, runId, BATCH);
      if (batch.length === 0) break;
      const outcomes = [];
      for (const i of batch) {
        outcomes.push({ accountId: i.account_id, outcome: await carryOut(deps, signer, i, effectOf(i.decision, run.default_action, i.recommendation), ip) });
      }
      // Recorded only while the lease is still ours: a run taken over is not written twice.
      if (!await setOutcomes(deps.db, runId, instance, outcomes, leaseUntil())) return null;
      carried += batch.length;
      if (Date.now() - started > budgetMs) return { done: false, items: carried, executed: {} };
    }
    return await finish(deps, run, instance, ip);
  } finally {
    await releaseExecution(deps.db, runId, instance);
  }
}

/** The last step: the report in three files, stored with their SHA-256, and the audit event. */
async function finish(deps: Deps, run: NonNullable<Awaited<ReturnType<typeof findRun>>>, instance: string, ip: string | null): Promise<ExecuteResult | null> {
  const items = (await allItems(deps.db, run.id)).map((i) => ({ ...i, effect: effectOf(i.decision, run.default_action, i.recommendation) }));
  const executed: Record<string, number> = {};
  for (const i of items) {
    const key = (i.outcome ?? '').startsWith('failed') ? 'failed' : i.outcome ?? 'unchanged';
    executed[key] = (executed[key] ?? 0) + 1;
  }
  const roles = new Map((await rolesWithSystems(deps.db)).map((r) => [r.code, `${r.system_zh}：${r.name_zh}`]));
  const evidence = run.sign_evidence as { decisionsSha256?: string } | null;
  const signed = { name: run.signer_name ?? '', at: run.signed_at!, method: run.sign_method ?? 'password', decisionsSha256: evidence?.decisionsSha256 ?? '' };
  const files = await renderReports(run, items, signed, (c) => roles.get(c) ?? c);
  const hash = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest('hex');
  const stored = { csv: files.csv.replace(/^\uFEFF/, ''), sha256: hash(files.csv), pdf: files.report, pdfSha256: hash(files.report), form: files.form, formSha256: hash(files.form) };
  const now = deps.clock.now();
  const ok = await deps.db.transaction().execute(async (trx) => {
    // Stored without the BOM (PGlite drops a leading one), served with it: the hash is of the file served.
    if (!await storeReport(trx, run.id, instance, stored, now)) return false;
    await audit(trx, now, {
      actor: run.signed_by, action: 'campaign.execute', targetType: 'campaign_run', targetId: run.id, orgOid: run.scope_oid, ip,
      details: { reportSha256: stored.sha256, reportPdfSha256: stored.pdfSha256, formPdfSha256: stored.formSha256, decisionsSha256: signed.decisionsSha256, items: items.length, executed },
    });
    return true;
  });
  return ok ? { done: true, items: items.length, executed } : null;
}

/** The campaigns.execute job: every signed run not held by a live lease is carried on (a dead instance's run resumes). */
export async function executeSigned(deps: Deps, instance: string): Promise<{ runs: number; items: number }> {
  let runs = 0, items = 0;
  for (const id of await runsToExecute(deps.db, deps.clock.now())) {
    const r = await executeRun(deps, id, instance);
    if (r) { items += r.items; if (r.done) runs++; }
  }
  return { runs, items };
}
