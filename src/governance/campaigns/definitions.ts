// GOV-3 account-review campaigns: definitions per jurisdiction and their runs. Who may define and
// start a review: an administrator who may enable and disable accounts (account.state) over the
// whole scope — the registration administrators and main accounts of the subtree, the central
// authority — since the review ends in exactly those actions. A run starts by the definition's
// schedule (the `campaigns.generate` job) or "start now"; its snapshot is one INSERT … SELECT.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { authorize, scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { orgExists } from '../../orgs/store.ts';
import { regionsNow } from '../inactivity/service.ts';
import { DEADLINE_DAYS, INACTIVE_DAYS, deadlineOf, nextRunAfter, type DefaultAction, type Recurrence } from './rules.ts';
import {
  claimDefinition, dueDefinitions, findDefinition, insertDefinition, insertRun, listDefinitions, listRuns, snapshotItems, systemExists,
} from './store.ts';

export interface DefinitionForm {
  name: string; scopeOid: string; systemCode?: string | null; inactiveDays?: number | null;
  recurrence: Recurrence; deadlineDays: number; defaultAction: DefaultAction; firstRunAt?: Date | null;
  /** Every holder in scope confirms their own account (seed 002). */
  attestation?: boolean;
}

const intIn = (n: unknown, r: { min: number; max: number }) => typeof n === 'number' && Number.isInteger(n) && n >= r.min && n <= r.max;

/** Creates a definition; refusals are 422 with a message key, outside the jurisdiction 404. */
export async function defineCampaign(deps: Deps, actor: Actor, f: DefinitionForm, ip: string | null): Promise<number> {
  if (scopeIsEmpty(scopeFor(actor, 'account.state'))) throw notFound();
  const name = f.name.trim();
  if (!name || name.length > 200) throw new HttpError(422, 'campaign.badName');
  if (!isValidOid(f.scopeOid) || !authorize(actor, 'account.state', { oid: f.scopeOid }) || !await orgExists(deps.db, f.scopeOid)) throw new HttpError(422, 'campaign.badScope');
  const system = f.systemCode?.trim() || null;
  if (system !== null && !await systemExists(deps.db, system)) throw new HttpError(422, 'campaign.badSystem');
  if (f.inactiveDays != null && !intIn(f.inactiveDays, INACTIVE_DAYS)) throw new HttpError(422, 'campaign.badDays');
  if (!intIn(f.deadlineDays, DEADLINE_DAYS)) throw new HttpError(422, 'campaign.badDays');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertDefinition(trx, {
      name, scope_oid: f.scopeOid, system_code: system, inactive_days: f.inactiveDays ?? null, recurrence: f.recurrence,
      deadline_days: f.deadlineDays, default_action: f.defaultAction, attestation: f.attestation ?? false, next_run_at: f.firstRunAt ?? now, created_by: actor.accountId, created_at: now,
    });
    await audit(trx, now, {
      actor: actor.accountId, action: 'campaign.define', targetType: 'campaign_definition', targetId: id, orgOid: f.scopeOid, ip,
      details: { name, recurrence: f.recurrence, system, inactiveDays: f.inactiveDays ?? null, deadlineDays: f.deadlineDays, defaultAction: f.defaultAction, attestation: f.attestation ?? false },
    });
    return id;
  });
}

/** The definitions and runs the caller sees (account.view scope overlapping theirs, in SQL). */
export async function campaignsOf(deps: Deps, actor: Actor) {
  const scope = scopeFor(actor, 'account.view');
  if (scopeIsEmpty(scope)) throw notFound();
  const [definitions, runs] = await Promise.all([listDefinitions(deps.db, scope), listRuns(deps.db, scope)]);
  return { definitions, runs };
}

type Definition = NonNullable<Awaited<ReturnType<typeof findDefinition>>>;

/**
 * Starts a run of `d` now, in one transaction: moves the definition's next run on (claimed
 * conditionally, so a run is started once even by two instances), snapshots the items, audits.
 * Null when another instance claimed it first.
 */
async function startRun(deps: Deps, d: Definition, actor: number | null, ip: string | null): Promise<{ runId: number; items: number } | null> {
  const regions = await regionsNow(deps);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    // The next slot counts from the scheduled one (no drift), or from now when that lies a period behind or the run was started by hand early.
    const fromSlot = d.next_run_at && d.next_run_at <= now ? nextRunAfter(d.recurrence, d.next_run_at) : null;
    const next = fromSlot && fromSlot > now ? fromSlot : nextRunAfter(d.recurrence, now);
    if (!await claimDefinition(trx, d.id, d.next_run_at, next)) return null;
    const run = { scope_oid: d.scope_oid, system_code: d.system_code, inactive_days: d.inactive_days };
    const runId = await insertRun(trx, {
      definition_id: d.id, name: d.name, ...run, default_action: d.default_action, attestation: d.attestation, started_at: now, started_by: actor, deadline_at: deadlineOf(now, d.deadline_days),
    });
    const items = await snapshotItems(trx, runId, run, regions, now);
    await audit(trx, now, { actor, action: 'campaign.start', targetType: 'campaign_run', targetId: runId, orgOid: d.scope_oid, ip, details: { definition: d.id, items } });
    return { runId, items };
  });
}

/** 立即開始清查: a run now, by an administrator who may define this scope's reviews. */
export async function startNow(deps: Deps, actor: Actor, definitionId: number, ip: string | null): Promise<{ runId: number; items: number }> {
  const d = await findDefinition(deps.db, definitionId);
  if (!d || !authorize(actor, 'account.state', { oid: d.scope_oid })) throw notFound();
  const r = await startRun(deps, d, actor.accountId, ip);
  if (!r) throw new HttpError(409, 'campaign.busy');
  return r;
}

/** Start now by an operator (`tessera campaign start` without --as): no actor, audited as the platform's. */
export async function startAsOperator(deps: Deps, definitionId: number): Promise<{ runId: number; items: number }> {
  const d = await findDefinition(deps.db, definitionId);
  if (!d) throw notFound();
  const r = await startRun(deps, d, null, null);
  if (!r) throw new HttpError(409, 'campaign.busy');
  return r;
}

/** The `campaigns.generate` job: every definition whose scheduled run has come starts it (once). */
export async function generateDue(deps: Deps): Promise<{ started: number; items: number }> {
  let started = 0, items = 0;
  for (const d of await dueDefinitions(deps.db, deps.clock.now(), 100)) {
    const r = await startRun(deps, d, null, null);
    if (r) { started++; items += r.items; }
  }
  return { started, items };
}
