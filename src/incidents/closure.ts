// INC-5: containment, closure and investigation, one transaction each: the agency records damage
// control or recovery (late: with a reason), submits the closure report with its required items,
// the competent authority (the technical centre when the agency has none) approves it or returns
// it, the agency submits the investigation, handling and improvement report; the incident closes
// when the closure is approved and the investigation report is in. Reports live in the append-only
// events' payloads (every version kept); audit in the same transaction.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { IncidentError } from './errors.ts';
import { eventsOf, incidentIn, insertEvents, lockIncident, updateIncident, type EventRow, type IncidentDetailRow } from './store.ts';
import { has, incidentDetail, lateCheck, openFor, refreshNextDue, scopeOf, targetOf } from './workflow.ts';
import { renderIncidentReportPdf, reportNumber } from './report-pdf.ts';
import { cleanItems, closureStage, investigationDone, readyToClose, reportItemProblems, type ReportKind } from './reports.ts';
import type { ProblemField } from './errors.ts';
import type { ReportProblem } from './rules.ts';

type Items = Record<string, string | undefined>;

/** Who reviews the closure: the incident's competent authority, or the technical centre when it has none. */
const mayReviewClosure = (actor: Actor, i: Pick<IncidentDetailRow, 'authority_oid'>) =>
  i.authority_oid ? authorize(actor, 'incident.review', { authority: i.authority_oid }) : authorize(actor, 'incident.centre');

/** What the caller may do next about containment and closure (for the pages). */
export function closureMay(actor: Actor, i: IncidentDetailRow, events: Pick<EventRow, 'kind' | 'at'>[]) {
  const reporter = authorize(actor, 'incident.report', { oid: i.org_oid });
  const stage = closureStage(events);
  const open = i.state === 'open';
  return {
    contain: open && reporter && stage === 'response',
    closure: open && reporter && stage === 'contained',
    closureReview: open && stage === 'closure_pending' && mayReviewClosure(actor, i),
    investigation: open && reporter && stage !== 'response' && !investigationDone(events),
    closurePdf: has(events, 'closure_submitted'),
    investigationPdf: has(events, 'investigation_submitted'),
  };
}

function checkItems(kind: ReportKind, level: number | null, items: Items): Record<string, string> {
  const p = reportItemProblems(kind, level, items);
  if (Object.keys(p).length) throw new IncidentError(422, 'incidents.report.invalid', p as Partial<Record<ProblemField, ReportProblem>>);
  return cleanItems(kind, items);
}

/** Closes the incident once both the approved closure and the investigation report are in. */
async function closeWhenDone(trx: Db, i: { id: number | string; profile_ids: string[] }, now: Date): Promise<boolean> {
  const events = await eventsOf(trx, Number(i.id));
  await refreshNextDue(trx, Number(i.id), i.profile_ids, now);
  if (!readyToClose(events)) return false;
  await updateIncident(trx, Number(i.id), { state: 'closed', closed_at: now, next_due_at: null, updated_at: now });
  return true;
}

/** INC-5: damage control or recovery completed (once); after 36 h / 72 h a late reason is required. */
export async function recordContained(deps: Deps, actor: Actor, id: number, r: { note: string; lateReason?: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    if (has(events, 'contained')) throw new IncidentError(409, 'incidents.closure.alreadyContained');
    if (!r.note.trim()) throw new IncidentError(422, 'incidents.report.invalid', { note: 'required' });
    const late = await lateCheck(i, events, 'contain', { lateReason: r.lateReason, ip: r.ip }, now);
    await insertEvents(trx, id, now, [{ kind: 'contained', at: now, actor: actor.accountId, reason: late, payload: { note: r.note.trim() } }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.contain', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { late: late !== null } });
  });
}

/** INC-5: the closure report with every required item; again after a return. */
export async function submitClosure(deps: Deps, actor: Actor, id: number, r: { items: Items; lateReason?: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    if (closureStage(events) !== 'contained') throw new IncidentError(409, 'incidents.closure.notNow');
    const report = checkItems('closure', i.level, r.items);
    const first = !has(events, 'closure_submitted');
    const late = first ? await lateCheck(i, events, 'closure', { lateReason: r.lateReason, ip: r.ip }, now) : null;
    await insertEvents(trx, id, now, [{ kind: 'closure_submitted', at: now, actor: actor.accountId, reason: late, payload: { report } }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.closure', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { resubmission: !first } });
  });
}

/** INC-5: the competent authority (or the centre when there is none) approves the closure report or returns it with a note. */
export async function reviewClosure(deps: Deps, actor: Actor, id: number, r: { decision: 'approve' | 'return'; note: string; lateReason?: string; ip: string | null }): Promise<{ closed: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const seen = await incidentIn(trx, id, scopeOf(actor));
    if (!seen || !authorize(actor, 'incident.view', targetOf(seen)) || !mayReviewClosure(actor, seen)) throw notFound();
    const i = (await lockIncident(trx, id))!;
    if (i.state !== 'open') throw new IncidentError(409, 'incidents.notOpen');
    const events = await eventsOf(trx, id);
    if (closureStage(events) !== 'closure_pending') throw new IncidentError(409, 'incidents.closure.notPending');
    if (r.decision === 'return' && !r.note.trim()) throw new IncidentError(422, 'incidents.reasonRequired', { reason: 'required' });
    const late = await lateCheck(i, events, 'closure-review', { lateReason: r.lateReason, ip: r.ip }, now);
    const kind = r.decision === 'approve' ? 'closure_approved' : 'closure_returned';
    await insertEvents(trx, id, now, [{ kind, at: now, actor: actor.accountId, reason: late, payload: r.note.trim() ? { note: r.note.trim() } : {} }]);
    const closed = await closeWhenDone(trx, i, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.closure.review', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { decision: r.decision, closed } });
    return { closed };
  });
}

/** INC-5: the investigation, handling and improvement report (once), within a month of containment. */
export async function submitInvestigation(deps: Deps, actor: Actor, id: number, r: { items: Items; lateReason?: string; ip: string | null }): Promise<{ closed: boolean }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    if (!has(events, 'contained') || investigationDone(events)) throw new IncidentError(409, 'incidents.closure.notNow');
    const report = checkItems('investigation', i.level, r.items);
    const late = await lateCheck(i, events, 'investigation', { lateReason: r.lateReason, ip: r.ip }, now);
    await insertEvents(trx, id, now, [{ kind: 'investigation_submitted', at: now, actor: actor.accountId, reason: late, payload: { report } }]);
    const closed = await closeWhenDone(trx, i, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.investigation', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { closed } });
    return { closed };
  });
}

/** The latest submitted version of a report, with its submission event; undefined when none. */
export function latestReport(events: EventRow[], kind: ReportKind): { event: EventRow; items: Record<string, string> } | undefined {
  const want = kind === 'closure' ? 'closure_submitted' : 'investigation_submitted';
  const e = [...events].reverse().find((x) => x.kind === want);
  if (!e) return undefined;
  return { event: e, items: ((e.payload as { report?: Record<string, string> }).report) ?? {} };
}

/** INC-5: the latest version of a report as a PDF for whoever may see the incident; null when none was submitted yet. */
export async function reportPdf(deps: Deps, actor: Actor, id: number, kind: ReportKind): Promise<{ pdf: Buffer; filename: string } | null> {
  const d = await incidentDetail(deps, actor, id);
  const latest = latestReport(d.events, kind);
  if (!latest) return null;
  const pdf = await renderIncidentReportPdf({ kind, incident: d.incident, events: d.events, items: latest.items, submitted: latest.event });
  return { pdf, filename: `${reportNumber(d.incident.id, kind)}.pdf` };
}
