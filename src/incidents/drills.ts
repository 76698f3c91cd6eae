// INC-7: drills — a drill is an incident flagged `drill` (notification or social-engineering e-mail
// drill) that runs the real clocks as its time record (演練時間紀錄表) and the drill profile; the
// agency records the drill's end, and its CISO approves the drill report with the review meeting
// (seed 004 §5.2.1(7), §5.2.2(3): within 1 month). One transaction each, audited.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { IncidentError } from './errors.ts';
import { eventsOf, incidentIn, insertEvents, lockIncident, type EventRow, type IncidentDetailRow } from './store.ts';
import { has, lateCheck, openFor, refreshNextDue, scopeOf, targetOf } from './workflow.ts';
import { taipeiDay } from './rules.ts';

export function drillMay(actor: Actor, i: IncidentDetailRow, events: Pick<EventRow, 'kind'>[]) {
  const open = i.drill && i.state === 'open';
  return {
    complete: open && !has(events, 'drill_completed') && authorize(actor, 'incident.report', { oid: i.org_oid }),
    report: open && has(events, 'drill_completed') && !has(events, 'drill_report_submitted') && authorize(actor, 'incident.drill.approve', { oid: i.org_oid }),
  };
}

/** The agency records that the drill ended (drill_completed): the drill report's month starts. */
export async function completeDrill(deps: Deps, actor: Actor, id: number, r: { note: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    if (!i.drill) throw new IncidentError(409, 'incidents.drill.notDrill');
    if (has(events, 'drill_completed')) throw new IncidentError(409, 'incidents.drill.notNow');
    await insertEvents(trx, id, now, [{ kind: 'drill_completed', at: now, actor: actor.accountId, payload: r.note.trim() ? { note: r.note.trim() } : {} }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.drill', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { step: 'completed' } });
  });
}

/** The agency's CISO approves and submits the drill report with the review meeting's date and conclusions. */
export async function submitDrillReport(deps: Deps, actor: Actor, id: number, r: { meetingAt: string; meetingNotes: string; summary: string; lateReason?: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  const meeting = taipeiDay(r.meetingAt);
  const problems: Record<string, 'required' | 'invalid' | 'future'> = {};
  if (!r.meetingAt.trim()) problems.meetingAt = 'required'; else if (!meeting) problems.meetingAt = 'invalid'; else if (meeting > now) problems.meetingAt = 'future';
  if (!r.meetingNotes.trim()) problems.meetingNotes = 'required';
  if (!r.summary.trim()) problems.summary = 'required';
  await deps.db.transaction().execute(async (trx) => {
    const seen = await incidentIn(trx, id, scopeOf(actor));
    if (!seen || !authorize(actor, 'incident.view', targetOf(seen)) || !authorize(actor, 'incident.drill.approve', { oid: seen.org_oid })) throw notFound();
    const i = (await lockIncident(trx, id))!;
    const events = await eventsOf(trx, id);
    if (!i.drill) throw new IncidentError(409, 'incidents.drill.notDrill');
    if (i.state !== 'open' || !has(events, 'drill_completed') || has(events, 'drill_report_submitted')) throw new IncidentError(409, 'incidents.drill.notNow');
    if (Object.keys(problems).length) throw new IncidentError(422, 'incidents.report.invalid', problems as never);
    const late = await lateCheck(i, events, 'drill-report', { lateReason: r.lateReason, ip: r.ip }, now);
    await insertEvents(trx, id, now, [{ kind: 'drill_report_submitted', at: now, actor: actor.accountId, reason: late,
      payload: { meetingAt: r.meetingAt.trim(), meetingNotes: r.meetingNotes.trim(), summary: r.summary.trim(), approvedBy: 'ciso' } }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.drill', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { step: 'report' } });
  });
}
