// INC-2, INC-3, INC-4, INC-6: the incident use cases, one transaction each, authorization first
// (`authorize` on the row read through the caller's scope, so an incident outside it is "not
// found"), events appended, next due time recomputed, mail and SMS through the outbox, audit in
// the same transaction. Reports: drafts, submission (aware + reported), phone reports recorded by
// the technical centre and back-filled by the agency, level changes as re-reports with history.
// Reviews: the competent authority (may change the level, with a reason), the technical centre's
// re-review, its direct review once the authority's clock is overdue, support dispatch; level 3–4
// → the authority's CISO and IT chief at once (mail and SMS) and the result forwarded.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { IncidentError } from './errors.ts';
import { authorize, isCentral, type Actor } from '../access/authorize.ts';
import { incidentScopeFor } from '../access/incident-rules.ts';
import { isValidOid } from '../orgs/oid.ts';
import { DEFAULT_PROFILE_ID, type Clock } from './clocks/index.ts';
import { isLevel, reportProblems, type ReportInput } from './rules.ts';

export { IncidentError };
import { authorityOf } from './contacts.ts';
import { orgName } from './authority-store.ts';
import {
  escalationsOf, eventsOf, incidentIn, insertEvents, insertIncident, lockIncident, saveClockOutcomes, updateIncident, type IncidentDetailRow, type NewEvent,
} from './store.ts';
import { clockKey, clocksFor, nextDueAt, openClock } from './timers.ts';
import { forwardMajor, tellMajor, tellReviewers } from './notify.ts';
import { CI_GROUPS, noticeCriticalInfrastructure, profileIdsFor } from './profile-rules.ts';


export const scopeOf = (actor: Actor) => incidentScopeFor(actor.incidentRoles ?? [], isCentral(actor));

export const targetOf = (i: Pick<IncidentDetailRow, 'org_oid' | 'authority_oid' | 'level' | 'state'>) =>
  ({ oid: i.org_oid, authority: i.authority_oid, level: i.level, draft: i.state === 'draft' });

/** The incident as the caller may see it, with its events and clocks now; "not found" outside the scope. */
export async function incidentDetail(deps: Deps, actor: Actor, id: number) {
  const i = await incidentIn(deps.db, id, scopeOf(actor));
  if (!i || !authorize(actor, 'incident.view', targetOf(i))) throw notFound();
  const now = deps.clock.now();
  const events = await eventsOf(deps.db, id);
  const clocks = i.state === 'draft' ? [] : clocksFor(i.profile_ids, events, now);
  const escalations = await escalationsOf(deps.db, id);
  const may = {
    edit: i.state === 'draft' && authorize(actor, 'incident.report', { oid: i.org_oid }),
    reReport: i.state === 'open' && authorize(actor, 'incident.report', { oid: i.org_oid }),
    backfill: i.backfill_pending && authorize(actor, 'incident.report', { oid: i.org_oid }),
    review: i.state === 'open' && !has(events, 'reviewed', 'centre_direct_review') && authorize(actor, 'incident.review', { authority: i.authority_oid }),
    centreReview: i.state === 'open' && has(events, 'reviewed') && !has(events, 'centre_reviewed', 'centre_direct_review') && authorize(actor, 'incident.centre'),
    directReview: i.state === 'open' && !has(events, 'reviewed', 'centre_direct_review') && openClock(clocks, 'review')?.state === 'overdue' && authorize(actor, 'incident.centre'),
    support: i.state === 'open' && i.support_requested && has(events, 'centre_reviewed', 'centre_direct_review') && !has(events, 'support_dispatched') && authorize(actor, 'incident.centre'),
  };
  return { incident: i, events, clocks, escalations, may };
}

export const has = (events: { kind: string }[], ...kinds: string[]) => events.some((e) => kinds.includes(e.kind));

/** Recomputes the earliest open, not yet escalated due time (INC-6) after the incident's events changed. */
export async function refreshNextDue(trx: Db, id: number, profileIds: string[], now: Date): Promise<Clock[]> {
  const clocks = clocksFor(profileIds, await eventsOf(trx, id), now);
  const escalated = new Set((await escalationsOf(trx, id)).map((e) => clockKey({ profileId: e.profile_id, ruleId: e.rule_id, dueAt: e.due_at })));
  await updateIncident(trx, id, { next_due_at: nextDueAt(clocks, escalated) });
  await saveClockOutcomes(trx, id, clocks);
  return clocks;
}

function check(r: ReportInput, now: Date, submit: boolean): void {
  const p = reportProblems(r, now, submit);
  if (Object.keys(p).length) throw new IncidentError(422, 'incidents.report.invalid', p);
}

const columns = (r: ReportInput) => ({
  title: r.title.trim(), description: r.description, aware_at: r.awareAt, level: r.level,
  affected_systems: JSON.stringify(r.affectedSystems), support_requested: r.supportRequested,
  other_agencies_affected: r.otherAgenciesAffected, critical_infrastructure: r.criticalInfrastructure,
  contact_name: r.contactName.trim(), contact_phone: r.contactPhone.trim(), contact_email: r.contactEmail.trim(),
  ...(r.category !== undefined ? { category: r.category } : {}),
});

export interface SaveReport {
  agencyOid: string; input: ReportInput; submit: boolean; drill?: boolean; drillKind?: 'notification' | 'social_engineering'; lateReason?: string; ip: string | null;
  /** INC-9: optional profiles besides tw-cs (the agency's configuration must allow them); INC-2: the CI groups affected. */
  profiles?: string[]; ciGroups?: string[];
}

/** A new report (INC-2): saved as a draft, or submitted at once. Returns its id. */
export async function createReport(deps: Deps, actor: Actor, s: SaveReport): Promise<number> {
  if (!isValidOid(s.agencyOid) || !authorize(actor, 'incident.report', { oid: s.agencyOid })) throw notFound();
  const org = await orgName(deps.db, s.agencyOid);
  if (!org || org.kind === 'unit') throw new IncidentError(422, 'incidents.phone.agency');
  const now = deps.clock.now();
  check(s.input, now, s.submit);
  const profileIds = await profileIdsFor(deps.db, s.agencyOid, s.profiles ?? [], !!s.drill);
  const ciGroups = s.input.criticalInfrastructure ? [...new Set(s.ciGroups ?? [])].filter((g) => (CI_GROUPS as readonly string[]).includes(g)) : [];
  return deps.db.transaction().execute(async (trx) => {
    const id = await insertIncident(trx, {
      org_oid: s.agencyOid, state: 'draft', drill: !!s.drill, drill_kind: s.drill ? s.drillKind ?? 'notification' : null,
      // INC-7: a drill runs the real clocks (its time record, 演練時間紀錄表) and the drill report's; INC-9: and the chosen ones.
      profile_ids: profileIds, ci_groups: ciGroups,
      created_by: actor.accountId, created_at: now, updated_at: now, ...columns(s.input),
    });
    await audit(trx, now, { actor: actor.accountId, action: 'incident.draft', targetType: 'incident', targetId: id, orgOid: s.agencyOid, ip: s.ip });
    if (s.submit) await submitLocked(deps, trx, actor, id, s.lateReason, s.ip, now);
    return id;
  });
}

/** Changes a draft, and submits it when asked. */
export async function updateDraft(deps: Deps, actor: Actor, id: number, s: Omit<SaveReport, 'agencyOid'>): Promise<void> {
  const found = await incidentIn(deps.db, id, scopeOf(actor));
  if (!found || !authorize(actor, 'incident.view', targetOf(found))) throw notFound();
  if (!authorize(actor, 'incident.report', { oid: found.org_oid })) throw notFound();
  if (found.state !== 'draft') throw new IncidentError(409, 'incidents.notDraft');
  const now = deps.clock.now();
  check(s.input, now, s.submit);
  await deps.db.transaction().execute(async (trx) => {
    await updateIncident(trx, id, { ...columns(s.input), updated_at: now });
    await audit(trx, now, { actor: actor.accountId, action: 'incident.draft', targetType: 'incident', targetId: id, orgOid: found.org_oid, ip: s.ip });
    if (s.submit) await submitLocked(deps, trx, actor, id, s.lateReason, s.ip, now);
  });
}

/** Submits a saved draft as it stands (the pages' "submit" on the incident). */
export async function submitDraft(deps: Deps, actor: Actor, id: number, lateReason: string | undefined, ip: string | null): Promise<void> {
  const found = await incidentIn(deps.db, id, scopeOf(actor));
  if (!found || !authorize(actor, 'incident.view', targetOf(found)) || !authorize(actor, 'incident.report', { oid: found.org_oid })) throw notFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => { await submitLocked(deps, trx, actor, id, lateReason, ip, now); });
}

/** Submission: aware + reported events, the competent authority fixed, reviewers told; level 3–4 → CISO and IT chief at once. */
async function submitLocked(deps: Deps, trx: Db, actor: Actor, id: number, lateReason: string | undefined, ip: string | null, now: Date): Promise<void> {
  const i = (await lockIncident(trx, id))!;
  if (i.state !== 'draft') throw new IncidentError(409, 'incidents.notDraft');
  check({ ...rowInput(i) }, now, true);
  const authority = await authorityOf(trx, i.org_oid);
  const late = i.aware_at!.getTime() + 3_600_000 < now.getTime();
  if (late && !lateReason?.trim()) throw new IncidentError(422, 'incidents.lateReasonRequired', { lateReason: 'required' });
  const events: NewEvent[] = [
    { kind: 'aware', at: i.aware_at!, actor: actor.accountId },
    { kind: 'reported', at: now, level: i.level, actor: actor.accountId, reason: late ? lateReason!.trim() : null },
  ];
  if (i.support_requested) events.push({ kind: 'support_requested', at: now, actor: actor.accountId });
  // INC-9: GDPR chosen on the report means personal data was involved from the start (counted from awareness).
  if (i.profile_ids.includes('gdpr-art33')) events.push({ kind: 'personal_data_involved', at: i.aware_at!, actor: actor.accountId });
  await insertEvents(trx, id, now, events);
  await updateIncident(trx, id, { state: 'open', authority_oid: authority, reported_at: now, updated_at: now });
  const ref = { ...i, authority_oid: authority };
  const clocks = await refreshNextDue(trx, id, i.profile_ids, now);
  await tellReviewers(deps, trx, ref, openClock(clocks, 'review')?.dueAt ?? null, now);
  if (i.level !== null && i.level >= 3) await notifyMajor(deps, trx, ref, actor.accountId, now);
  await noticeCriticalInfrastructure(deps, trx, i, actor.accountId, now);
  await audit(trx, now, { actor: actor.accountId, action: 'incident.report', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip, details: { level: i.level, late } });
}

const rowInput = (i: IncidentDetailRow): ReportInput => ({
  title: i.title, description: i.description, awareAt: i.aware_at, level: i.level, affectedSystems: i.affected_systems,
  supportRequested: i.support_requested, otherAgenciesAffected: i.other_agencies_affected, criticalInfrastructure: i.critical_infrastructure,
  contactName: i.contact_name, contactPhone: i.contact_phone, contactEmail: i.contact_email,
});

type Ref = Parameters<typeof tellMajor>[2] & { aware_at: Date | null; profile_ids: string[] };

/** INC-4: once per incident, when it first stands at level 3–4. */
async function notifyMajor(deps: Deps, trx: Db, i: Ref, actorId: number | null, now: Date): Promise<void> {
  const events = await eventsOf(trx, i.id);
  if (has(events, 'notified')) return;
  const sent = await tellMajor(deps, trx, i, i.aware_at, now);
  await insertEvents(trx, i.id, now, [{ kind: 'notified', at: now, actor: actorId, payload: sent }]);
  await refreshNextDue(trx, i.id, i.profile_ids, now);
}

async function forward(deps: Deps, trx: Db, i: Ref, actorId: number | null, now: Date): Promise<void> {
  const events = await eventsOf(trx, i.id);
  if (has(events, 'forwarded')) return;
  const recipients = await forwardMajor(deps, trx, i, now);
  await insertEvents(trx, i.id, now, [{ kind: 'forwarded', at: now, actor: actorId, payload: { recipients } }]);
}

/** Reads the incident through the caller's scope, asks `authorize`, then locks it. */
export async function openFor(deps: Deps, trx: Db, actor: Actor, id: number, action: 'incident.review' | 'incident.centre' | 'incident.report') {
  const seen = await incidentIn(trx, id, scopeOf(actor));
  if (!seen || !authorize(actor, 'incident.view', targetOf(seen))) throw notFound();
  const target = action === 'incident.review' ? { authority: seen.authority_oid } : action === 'incident.report' ? { oid: seen.org_oid } : {};
  if (!authorize(actor, action, target)) throw notFound();
  const i = (await lockIncident(trx, id))!;
  if (i.state !== 'open') throw new IncidentError(409, 'incidents.notOpen');
  return { i, events: await eventsOf(trx, id) };
}

export interface ReviewInput { level?: number; reason?: string; lateReason?: string; note?: string; ip: string | null }

function levelChange(current: number | null, r: ReviewInput): number | null {
  if (r.level === undefined || r.level === current) return current;
  if (!isLevel(r.level)) throw new IncidentError(422, 'incidents.report.invalid', { level: 'invalid' });
  if (!r.reason?.trim()) throw new IncidentError(422, 'incidents.reasonRequired', { reason: 'required' });
  return r.level;
}

export async function lateCheck(i: { profile_ids: string[] }, events: Parameters<typeof clocksFor>[1], ruleId: string, r: ReviewInput, now: Date): Promise<string | null> {
  const c = openClock(clocksFor(i.profile_ids, events, now), ruleId);
  if (c?.state !== 'overdue') return null;
  if (!r.lateReason?.trim()) throw new IncidentError(422, 'incidents.lateReasonRequired', { lateReason: 'required' });
  return r.lateReason.trim();
}

type ReviewKind = 'reviewed' | 'centre_reviewed' | 'centre_direct_review';

/** INC-3: a review step; the level may change (with a reason); level 3–4 → CISO and IT chief told, result forwarded. */
export async function review(deps: Deps, actor: Actor, id: number, kind: ReviewKind, r: ReviewInput): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, kind === 'reviewed' ? 'incident.review' : 'incident.centre');
    const reviewed = has(events, 'reviewed', 'centre_direct_review');
    if (kind === 'reviewed' && reviewed) throw new IncidentError(409, 'incidents.alreadyReviewed');
    if (kind === 'centre_reviewed' && (!has(events, 'reviewed') || has(events, 'centre_reviewed', 'centre_direct_review'))) throw new IncidentError(409, 'incidents.notForCentre');
    if (kind === 'centre_direct_review') {
      if (reviewed) throw new IncidentError(409, 'incidents.alreadyReviewed');
      if (openClock(clocksFor(i.profile_ids, events, now), 'review')?.state !== 'overdue') throw new IncidentError(409, 'incidents.notOverdue');
    }
    const level = levelChange(i.level, r);
    const late = kind === 'centre_direct_review' ? null : await lateCheck(i, events, kind === 'reviewed' ? 'review' : 'centre-review', r, now);
    await insertEvents(trx, id, now, [{
      kind, at: now, level, actor: actor.accountId, reason: late ?? (level !== i.level ? r.reason!.trim() : null),
      payload: { ...(r.note ? { note: r.note } : {}), ...(level !== i.level ? { from: i.level, to: level, reason: r.reason!.trim() } : {}) },
    }]);
    if (level !== i.level) await updateIncident(trx, id, { level, updated_at: now });
    const ref = { ...i, level };
    if (level !== null && level >= 3) {
      await notifyMajor(deps, trx, ref, actor.accountId, now);
      await forward(deps, trx, ref, actor.accountId, now);
    }
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: kind === 'reviewed' ? 'incident.review' : 'incident.centre', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { kind, from: i.level, to: level } });
  });
}

/** INC-4: requested support dispatched, recorded with who and when. */
export async function dispatchSupport(deps: Deps, actor: Actor, id: number, r: { note: string; lateReason?: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.centre');
    if (!i.support_requested || !has(events, 'centre_reviewed', 'centre_direct_review') || has(events, 'support_dispatched')) throw new IncidentError(409, 'incidents.noSupportDue');
    const late = await lateCheck(i, events, 'support', r, now);
    await insertEvents(trx, id, now, [{ kind: 'support_dispatched', at: now, actor: actor.accountId, reason: late, payload: { note: r.note.trim() } }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.support', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip });
  });
}

/** INC-2: a level change by the agency is a re-report: the history keeps both levels and the reason. */
export async function reReport(deps: Deps, actor: Actor, id: number, r: { level: number; reason: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i } = await openFor(deps, trx, actor, id, 'incident.report');
    const level = levelChange(i.level, r);
    if (level === i.level) throw new IncidentError(422, 'incidents.sameLevel', { level: 'invalid' });
    await insertEvents(trx, id, now, [{ kind: 'level_changed', at: now, level, actor: actor.accountId, reason: r.reason.trim(), payload: { from: i.level, to: level } }]);
    await updateIncident(trx, id, { level, updated_at: now });
    if (level !== null && level >= 3) await notifyMajor(deps, trx, { ...i, level }, actor.accountId, now);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.level', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { from: i.level, to: level } });
  });
}

/** INC-2: the technical centre records a report made by phone (network or power down), with the call's time. */
export async function phoneReport(deps: Deps, actor: Actor, r: { agencyOid: string; title: string; level: number; awareAt: Date; phoneAt: Date; description: string; ip: string | null }): Promise<number> {
  if (!authorize(actor, 'incident.centre')) throw notFound();
  if (!isValidOid(r.agencyOid)) throw new IncidentError(422, 'incidents.phone.agency');
  const org = await orgName(deps.db, r.agencyOid);
  if (!org || org.kind === 'unit') throw new IncidentError(422, 'incidents.phone.agency');
  const now = deps.clock.now();
  const p = reportProblems({ title: r.title, description: r.description || '-', awareAt: r.awareAt, level: r.level, affectedSystems: [], supportRequested: false,
    otherAgenciesAffected: false, criticalInfrastructure: false, contactName: '-', contactPhone: '-', contactEmail: '' }, now, true);
  if (r.phoneAt.getTime() > now.getTime() + 60_000) p.awareAt = p.awareAt ?? 'future';
  if (r.phoneAt < r.awareAt) p.awareAt = 'invalid';
  if (Object.keys(p).length) throw new IncidentError(422, 'incidents.report.invalid', p);
  return deps.db.transaction().execute(async (trx) => {
    const authority = await authorityOf(trx, r.agencyOid);
    const id = await insertIncident(trx, {
      org_oid: r.agencyOid, authority_oid: authority, state: 'open', level: r.level, title: r.title.trim(), description: r.description,
      aware_at: r.awareAt, backfill_pending: true, profile_ids: [DEFAULT_PROFILE_ID], created_by: actor.accountId, created_at: now, updated_at: now, reported_at: r.phoneAt,
    });
    await insertEvents(trx, id, now, [
      { kind: 'aware', at: r.awareAt, actor: actor.accountId },
      { kind: 'phone_reported', at: r.phoneAt, level: r.level, actor: actor.accountId },
    ]);
    const ref = { id, org_oid: r.agencyOid, authority_oid: authority, org_name: org.name, title: r.title.trim(), level: r.level, aware_at: r.awareAt, profile_ids: [DEFAULT_PROFILE_ID] };
    const clocks = await refreshNextDue(trx, id, ref.profile_ids, now);
    await tellReviewers(deps, trx, ref, openClock(clocks, 'review')?.dueAt ?? null, now);
    if (r.level >= 3) await notifyMajor(deps, trx, ref, actor.accountId, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.phone', targetType: 'incident', targetId: id, orgOid: r.agencyOid, ip: r.ip, details: { level: r.level } });
    return id;
  });
}

/** INC-2: the agency back-fills a phone report; the phone time stays, the back-fill time is added. */
export async function backfill(deps: Deps, actor: Actor, id: number, input: ReportInput, ip: string | null, lateReason?: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    if (!i.backfill_pending) throw new IncidentError(409, 'incidents.noBackfill');
    check({ ...input, level: input.level ?? i.level, awareAt: input.awareAt ?? i.aware_at }, now, true);
    const late = await lateCheck(i, events, 'backfill', { lateReason, ip }, now);
    const { level: _l, aware_at: _a, ...rest } = columns(input);
    await updateIncident(trx, id, { ...rest, backfill_pending: false, updated_at: now });
    const evs: NewEvent[] = [{ kind: 'backfilled', at: now, actor: actor.accountId, reason: late }];
    if (input.supportRequested && !i.support_requested) evs.push({ kind: 'support_requested', at: now, actor: actor.accountId });
    await insertEvents(trx, id, now, evs);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.backfill', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip });
  });
}
