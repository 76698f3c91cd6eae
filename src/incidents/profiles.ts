// INC-9: choosing deadline profiles per incident besides tw-cs (NIS2, GDPR) where the agency's
// configuration allows (set by the central authority), and recording the steps those profiles count
// (early warning, notification, final report, personal data involved, supervisory authority
// notified; late: with a reason). One transaction each, audited.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { isValidOid } from '../orgs/oid.ts';
import { IncidentError } from './errors.ts';
import { allowedProfilesOf, orgName, saveAllowedProfiles } from './authority-store.ts';
import { insertEvents, updateIncident } from './store.ts';
import { OPTIONAL_PROFILES, PROFILE_STEPS, profileIdsFor, type ProfileStep } from './profile-rules.ts';
import { has, lateCheck, openFor, refreshNextDue } from './workflow.ts';
import { profilesOf } from './timers.ts';

/** The central authority sets which optional profiles an agency may choose. */
export async function setAllowedProfiles(deps: Deps, actor: Actor, oid: string, profiles: string[], ip: string | null): Promise<void> {
  if (!authorize(actor, 'incident.authority.manage', { oid }) || !isValidOid(oid) || !(await orgName(deps.db, oid))) throw notFound();
  const clean = [...new Set(profiles)];
  if (clean.some((p) => !(OPTIONAL_PROFILES as readonly string[]).includes(p))) throw new IncidentError(422, 'incidents.profiles.unknown', { authority: 'invalid' });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await allowedProfilesOf(trx, oid);
    await saveAllowedProfiles(trx, oid, clean, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.profiles', targetType: 'org', targetId: oid, orgOid: oid, ip, details: { before, after: clean } });
  });
}

/** The agency changes the optional profiles of an open incident (e.g. GDPR once personal data turns out involved). */
export async function chooseProfiles(deps: Deps, actor: Actor, id: number, chosen: string[], ip: string | null): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i } = await openFor(deps, trx, actor, id, 'incident.report');
    const ids = await profileIdsFor(trx, i.org_oid, chosen, i.drill);
    await updateIncident(trx, id, { profile_ids: ids, updated_at: now });
    await refreshNextDue(trx, id, ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.profiles', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip, details: { before: i.profile_ids, after: ids } });
  });
}

/** A step an optional profile counts, recorded once by the agency; a late one needs a reason. */
export async function recordProfileStep(deps: Deps, actor: Actor, id: number, kind: ProfileStep, r: { lateReason?: string; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const { i, events } = await openFor(deps, trx, actor, id, 'incident.report');
    const counts = profilesOf(i.profile_ids).some((p) => p.rules.some((rule) => rule.metBy.includes(kind) || rule.onlyIf === kind || rule.anchor.includes(kind)));
    if (!counts || has(events, kind)) throw new IncidentError(409, 'incidents.profiles.stepNotNow');
    const rule = profilesOf(i.profile_ids).flatMap((p) => p.rules).find((x) => x.metBy.includes(kind));
    const late = rule ? await lateCheck(i, events, rule.id, { lateReason: r.lateReason, ip: r.ip }, now) : null;
    await insertEvents(trx, id, now, [{ kind, at: now, actor: actor.accountId, reason: late }]);
    await refreshNextDue(trx, id, i.profile_ids, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.profiles', targetType: 'incident', targetId: id, orgOid: i.org_oid, ip: r.ip, details: { step: kind, late: late !== null } });
  });
}


/** What the incident page offers the agency: the optional profiles it may choose, and the steps still to record. */
export async function profileChoice(deps: Deps, actor: Actor, i: { org_oid: string; state: string; profile_ids: string[] }, events: { kind: string }[]) {
  if (i.state !== 'open' || !authorize(actor, 'incident.report', { oid: i.org_oid })) return undefined;
  const allowed = await allowedProfilesOf(deps.db, i.org_oid);
  const chosen = profilesOf(i.profile_ids);
  const steps = PROFILE_STEPS.filter((k) => !has(events, k) && chosen.some((p) => p.rules.some((r) => r.metBy.includes(k) || r.onlyIf === k)));
  return { allowed, chosen: i.profile_ids, steps };
}
