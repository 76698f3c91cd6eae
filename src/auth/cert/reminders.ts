// GOV-5 certificate-expiry reminders (AUTH-8): the holder of a registered certificate is mailed
// once, `reminder.certificateExpiryDays` (policy of the account's unit) before it expires, through
// the outbox, with what to do: renew the card at a household registration office and register the
// new one. Run daily by the `reminders.certificate` job.
import type { Deps } from '../../platform/deps.ts';
import { enqueueMail } from '../../mail-templates.ts';
import { audit } from '../../platform/audit.ts';
import { policyRows } from '../../orgs/policy-regions-sql.ts';
import { policyRegions } from '../../orgs/policy-regions.ts';
import { taipeiDate } from '../../requests/format.ts';
import { claimCertificateReminders, type CertReminderPolicy } from './reminder-store.ts';

const BATCH = 200;

export async function remindCertificates(deps: Deps): Promise<{ reminded: number }> {
  const regions = policyRegions<CertReminderPolicy>(await policyRows(deps.db), ['reminder.certificateExpiryDays'], (p) => ({ days: p['reminder.certificateExpiryDays'] }));
  const url = `${deps.config.baseUrl.replace(/\/$/, '')}/account/certificates`;
  let reminded = 0;
  for (;;) {
    const now = deps.clock.now();
    const n = await deps.db.transaction().execute(async (trx) => {
      const due = await claimCertificateReminders(trx, regions, now, BATCH);
      for (const c of due) {
        await enqueueMail(trx, now, {
          to: c.email!, template: 'reminder.certificateExpiry', lang: 'zh-TW',
          vars: { name: c.name, username: c.username, commonName: c.common_name, expiresOn: taipeiDate(new Date(c.not_after)), url },
        });
        await audit(trx, now, {
          actor: null, action: 'auth.certificate.expiryReminder', targetType: 'account', targetId: c.account_id, orgOid: c.unit_oid,
          details: { certificate: c.id, serial: c.serial, notAfter: new Date(c.not_after).toISOString() },
        });
      }
      return due.length;
    });
    reminded += n;
    if (n < BATCH) return { reminded };
  }
}
