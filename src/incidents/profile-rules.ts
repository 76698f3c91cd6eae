// INC-9, INC-2: what the report and the profile choice share — the optional deadline profiles and
// their steps, the incident's profile list from the agency's allowed ones, the critical-
// infrastructure groups, and the horizontal notice to each affected group's configured recipients
// (outbox, in the caller's transaction, once per incident).
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { formatTime } from '../platform/web/format.ts';
import { enqueueMail } from '../mail-templates.ts';
import { DEFAULT_PROFILE_ID, DRILL_PROFILE_ID } from './clocks/index.ts';
import { IncidentError } from './errors.ts';
import { allowedProfilesOf } from './authority-store.ts';
import { eventsOf, insertEvents } from './store.ts';

/** The profiles an agency may choose (besides the default one, which always runs). */
export const OPTIONAL_PROFILES = ['nis2-art23', 'gdpr-art33'] as const;
/** Steps of the optional profiles the agency records itself. */
export const PROFILE_STEPS = ['personal_data_involved', 'early_warning_sent', 'incident_notification_sent', 'final_report_submitted', 'supervisory_authority_notified'] as const;
export type ProfileStep = (typeof PROFILE_STEPS)[number];

/** The critical-infrastructure groups (Taiwan's CI sectors); recipients per group are configuration. */
export const CI_GROUPS = ['energy', 'water', 'communications', 'transportation', 'finance', 'emergency_medical', 'government', 'high_tech_parks'] as const;
export const CI_GROUP_ZH: Record<string, string> = {
  energy: '能源', water: '水資源', communications: '通訊傳播', transportation: '交通', finance: '金融', emergency_medical: '緊急救援與醫院', government: '重要政府機關', high_tech_parks: '高科技園區',
};

/** The incident's profiles: the default (and the drill one) plus the chosen optional ones the agency may use. */
export async function profileIdsFor(db: Db, agencyOid: string, chosen: string[], drill: boolean): Promise<string[]> {
  const allowed = await allowedProfilesOf(db, agencyOid);
  const refused = chosen.filter((p) => !allowed.includes(p));
  if (refused.length) throw new IncidentError(422, 'incidents.profiles.notAllowed', { authority: 'invalid' });
  return [DEFAULT_PROFILE_ID, ...(drill ? [DRILL_PROFILE_ID] : []), ...OPTIONAL_PROFILES.filter((p) => chosen.includes(p))];
}

/** INC-2: once per incident, when a submitted report says critical infrastructure is affected: each group's recipients. */
export async function noticeCriticalInfrastructure(deps: Deps, trx: Db, i: { id: number | string; org_oid: string; org_name: string; title: string; level: number | null; aware_at: Date | null; critical_infrastructure: boolean; ci_groups: string[] }, actorId: number | null, now: Date): Promise<number> {
  if (!i.critical_infrastructure || i.ci_groups.length === 0) return 0;
  const id = Number(i.id);
  if ((await eventsOf(trx, id)).some((e) => e.kind === 'ci_notified')) return 0;
  const sent: string[] = [];
  for (const group of i.ci_groups) {
    for (const to of deps.config.incidents.ciRecipients[group] ?? []) {
      await enqueueMail(trx, now, { to, template: 'incidents.ciNotice', lang: 'zh-TW', vars: {
        agency: i.org_name, level: i.level ?? 0, title: i.title, group: CI_GROUP_ZH[group] ?? group, awareAt: i.aware_at ? formatTime(i.aware_at, 'zh-TW') : '—',
        url: `${deps.config.baseUrl.replace(/\/$/, '')}/incidents/${id}`,
      } });
      sent.push(to);
    }
  }
  await insertEvents(trx, id, now, [{ kind: 'ci_notified', at: now, actor: actorId, payload: { groups: i.ci_groups, recipients: sent.length } }]);
  await audit(trx, now, { actor: actorId, action: 'incident.ciNotice', targetType: 'incident', targetId: id, orgOid: i.org_oid, details: { groups: i.ci_groups, recipients: sent.length } });
  return sent.length;
}

