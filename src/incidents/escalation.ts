// INC-6: the `incidents.escalate` job (every minute): open incidents whose next due time has passed
// (incidents.next_due_at, partial index) get, for each overdue clock, mail and SMS to the clock's
// escalation roles — exactly once per breached clock: the incident_escalations row (primary key
// incident, profile, rule, due time) is claimed in the same transaction as the outbox rows, so two
// instances, or a run taken over after a crash, never send twice.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { claimEscalation, dueIncidents, eventsOf, lockIncident, setEscalationRecipients } from './store.ts';
import { clocksFor, clockKey } from './timers.ts';
import { overdueClocks } from './clocks/index.ts';
import { tellEscalation } from './notify.ts';
import { refreshNextDue } from './workflow.ts';

const BATCH = 100;

export async function escalateOverdue(deps: Deps): Promise<{ incidents: number; escalated: number }> {
  let incidents = 0, escalated = 0;
  const seen = new Set<number>();
  for (;;) {
    const now = deps.clock.now();
    const ids = (await dueIncidents(deps.db, now, BATCH)).filter((id) => !seen.has(id));
    if (ids.length === 0) return { incidents, escalated };
    for (const id of ids) {
      seen.add(id);
      escalated += await deps.db.transaction().execute(async (trx) => {
        const i = await lockIncident(trx, id);
        if (!i || i.state !== 'open') return 0;
        const clocks = clocksFor(i.profile_ids, await eventsOf(trx, id), now);
        let n = 0;
        for (const c of overdueClocks(clocks, now)) {
          const label = c.label['zh-TW'];
          // Claim first: when another instance holds the claim, nothing is sent here.
          if (!await claimEscalation(trx, { incidentId: id, profileId: c.profileId, ruleId: c.ruleId, dueAt: c.dueAt, now, recipients: 0 })) continue;
          const people = c.escalateTo.length ? await tellEscalation(deps, trx, i, c.escalateTo, { label, dueAt: c.dueAt }, now) : 0;
          await setEscalationRecipients(trx, id, c, people);
          await audit(trx, now, { actor: null, action: 'incident.escalate', targetType: 'incident', targetId: id, orgOid: i.org_oid,
            details: { clock: clockKey(c), roles: c.escalateTo, recipients: people } });
          n++;
        }
        await refreshNextDue(trx, id, i.profile_ids, now);
        return n;
      });
      incidents++;
    }
    if (ids.length < BATCH) return { incidents, escalated };
  }
}
