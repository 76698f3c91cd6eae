// GOV-3, GOV-5: reminders before a review's deadline and escalation when it is overdue, by the
// campaigns.generate job, through the outbox, each once per run (claimed in the transaction that
// writes the mails). Reminders go to the review's administrators (registration administrators and
// main accounts whose jurisdiction is the scope or inside it; none: the nearest above it); an
// overdue review goes to the administrators
// of the parent jurisdiction — the nearest grants that strictly cover the scope — and, when there
// are none, to the central authority.
import type { Deps } from '../../platform/deps.ts';
import { DAY } from '../../platform/clock.ts';
import { enqueueMail } from '../../mail-templates.ts';
import { kindsThatMay } from '../../access/authorize.ts';
import { taipeiDate } from '../../requests/format.ts';
import { claimNotice, progress, runAdministrators, runsDue } from './store.ts';
import { unansweredHolders } from '../attest/store.ts';

/** Days before the deadline the reviewers are reminded. */
export const REMIND_DAYS_BEFORE = 3;
const REVIEWER_KINDS = kindsThatMay('account.state').filter((k) => k !== 'central');

export async function remindAndEscalate(deps: Deps): Promise<{ reminded: number; escalated: number }> {
  const base = deps.config.baseUrl.replace(/\/$/, '');
  let reminded = 0, escalated = 0;
  for (const kind of ['reminded_at', 'escalated_at'] as const) {
    for (const run of await runsDue(deps.db, kind, deps.clock.now(), REMIND_DAYS_BEFORE * DAY)) {
      let to = kind === 'reminded_at' ? await runAdministrators(deps.db, run.scope_oid, REVIEWER_KINDS, 'reviewers') : [];
      // No administrator at or below the scope (the review was defined from above): the nearest above it.
      if (kind === 'reminded_at' && to.length === 0) {
        const above = await runAdministrators(deps.db, run.scope_oid, REVIEWER_KINDS, 'parents');
        const deepest = Math.max(-1, ...above.map((a) => a.jurisdiction_oid.length));
        to = above.filter((a) => a.jurisdiction_oid.length === deepest);
      }
      if (kind === 'escalated_at') {
        to = await runAdministrators(deps.db, run.scope_oid, REVIEWER_KINDS, 'parents');
        // The nearest parent jurisdiction; none: the central authority.
        const deepest = Math.max(-1, ...to.map((a) => a.jurisdiction_oid.length));
        to = deepest >= 0 ? to.filter((a) => a.jurisdiction_oid.length === deepest) : await runAdministrators(deps.db, run.scope_oid, ['central'], 'parents');
      }
      const p = await progress(deps.db, run.id, { all: true });
      const now = deps.clock.now();
      const sent = await deps.db.transaction().execute(async (trx) => {
        if (!await claimNotice(trx, run.id, kind, now)) return false;
        for (const a of new Map(to.map((x) => [x.id, x])).values()) {
          await enqueueMail(trx, now, {
            to: a.email!, lang: 'zh-TW', template: kind === 'reminded_at' ? 'campaign.reminder' : 'campaign.escalation',
            vars: { name: a.name, review: run.name, scope: run.scope_name ?? run.scope_oid, deadline: taipeiDate(run.deadline_at), decided: p.decided, total: p.total, url: `${base}/admin/campaigns/runs/${run.id}` },
          });
        }
        // Holders asked to attest who have not answered yet are reminded with the reviewers (seed 002, D-06-20).
        if (kind === 'reminded_at' && run.attestation) {
          for (const h of await unansweredHolders(trx, run.id)) {
            await enqueueMail(trx, now, {
              to: h.email!, lang: 'zh-TW', template: 'campaign.attestReminder',
              vars: { name: h.name, review: run.name, deadline: taipeiDate(run.deadline_at), url: `${base}/account/attestations` },
            });
          }
        }
        return true;
      });
      if (sent && kind === 'reminded_at') reminded++;
      if (sent && kind === 'escalated_at') escalated++;
    }
  }
  return { reminded, escalated };
}
