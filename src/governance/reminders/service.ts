// Reminders (GOV-5) as three jobs, each safe on any number of instances (claims in store.ts):
// - reminders.password: the holder of a password about to expire is reminded once, N days before
//   (policy reminder.passwordExpiryDays of the account's unit; password.maxAgeDays sets the expiry);
// - reminders.steps: when a request reaches a step, its approvers are told — the organisation's own
//   approvers, or the central authority when nobody else can decide it (as the application form
//   counts them);
// - reminders.digest: each approver with requests waiting gets one digest a day.
// Both request reminders follow policy reminder.approvals. All mail goes through the outbox.
import type { Deps } from '../../platform/deps.ts';
import { enqueueMail } from '../../mail-templates.ts';
import { translator, type MessageKey } from '../../messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import { policyRows } from '../../orgs/policy-regions-sql.ts';
import { policyRegions, regionOf, type PolicyRegion } from '../../orgs/policy-regions.ts';
import { stepTarget } from '../../requests/approvers-sql.ts';
import { requestNumber, taipeiDate } from '../../requests/format.ts';
import type { RequestStepKind } from '../../access/authorize.ts';
import { passwordExpiresAt, pickReminderPolicy, REMINDER_KEYS, taipeiDay, type ReminderPolicy } from './rules.ts';
import { approverContacts, claimDigest, claimPasswordReminders, claimStepNotice, digestsDue, unannouncedSteps } from './store.ts';

const BATCH = 200;
const baseUrl = (deps: Deps) => deps.config.baseUrl.replace(/\/$/, '');
const regionsNow = async (deps: Deps): Promise<PolicyRegion<ReminderPolicy>[]> => policyRegions(await policyRows(deps.db), REMINDER_KEYS, pickReminderPolicy);

export async function remindPasswords(deps: Deps): Promise<{ reminded: number }> {
  const regions = await regionsNow(deps);
  let reminded = 0;
  for (;;) {
    const now = deps.clock.now();
    const n = await deps.db.transaction().execute(async (trx) => {
      const due = await claimPasswordReminders(trx, regions, now, BATCH);
      for (const a of due) {
        const expires = passwordExpiresAt(a.set_at, regionOf(regions, a.unit_oid).maxAgeDays);
        await enqueueMail(trx, now, {
          to: a.email!, template: 'reminder.passwordExpiry', lang: 'zh-TW',
          vars: { name: a.name, username: a.username, expiresOn: taipeiDate(expires), url: `${baseUrl(deps)}/password/change` },
        });
      }
      return due.length;
    });
    reminded += n;
    if (n < BATCH) return { reminded };
  }
}

export async function announceSteps(deps: Deps): Promise<{ announced: number; mailed: number }> {
  const regions = await regionsNow(deps);
  const t = translator('zh-TW');
  let announced = 0, mailed = 0;
  for (;;) {
    const steps = await unannouncedSteps(deps.db, regions, BATCH);
    for (const r of steps) {
      const now = deps.clock.now();
      const target = stepTarget(r.org_oid, r.step_kind as RequestStepKind, r.categories);
      const exclude = [r.requester_account_id, r.subject_account_id];
      const local = r.step_kind === 'central' ? [] : await approverContacts(deps.db, target, exclude, false);
      const to = local.length > 0 ? local : await approverContacts(deps.db, target, exclude, true);
      await deps.db.transaction().execute(async (trx) => {
        if (!await claimStepNotice(trx, r.id, r.step_no, to.length, now)) return;
        announced++;
        for (const a of to) {
          await enqueueMail(trx, now, {
            to: a.email!, template: 'reminder.stepReached', lang: 'zh-TW',
            vars: {
              name: a.name, number: requestNumber(r.id), title: t(`request.type.${r.type}` as MessageKey), step: t(`request.step.${r.step_kind}` as MessageKey),
              submittedAt: formatTime(new Date(r.submitted_at), 'zh-TW'), url: `${baseUrl(deps)}/admin/requests/${r.id}`,
            },
          });
          mailed++;
        }
      });
    }
    if (steps.length < BATCH) return { announced, mailed };
  }
}

export async function sendDigests(deps: Deps): Promise<{ digests: number }> {
  const regions = await regionsNow(deps);
  const day = taipeiDay(deps.clock.now());
  let digests = 0;
  for (;;) {
    const due = await digestsDue(deps.db, regions, day, BATCH);
    for (const a of due) {
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        if (!await claimDigest(trx, a.id, day, now)) return;
        await enqueueMail(trx, now, {
          to: a.email, template: 'reminder.digest', lang: 'zh-TW',
          vars: { name: a.name, waiting: a.waiting, oldest: formatTime(a.oldest, 'zh-TW'), url: `${baseUrl(deps)}/admin/requests` },
        });
        digests++;
      });
    }
    if (due.length < BATCH) return { digests };
  }
}
