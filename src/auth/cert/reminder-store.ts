// GOV-5 SQL of certificate-expiry reminders: registered certificates inside their subtree's
// reminder window, claimed once each by an INSERT … ON CONFLICT DO NOTHING in the transaction that
// writes the mail, so any number of instances remind each certificate once. The per-subtree
// policy is one CASE over the unit OID (orgs/policy-regions-sql.ts).
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { byRegion } from '../../orgs/policy-regions-sql.ts';
import type { PolicyRegion } from '../../orgs/policy-regions.ts';

export interface CertReminderPolicy { days: number }

/**
 * Claims up to `limit` certificates that expire after `now` and within their region's days (enabled
 * accounts with an e-mail), not reminded yet; returns whom to tell about which certificate.
 */
export async function claimCertificateReminders(trx: Db, regions: PolicyRegion<CertReminderPolicy>[], now: Date, limit: number) {
  const until = byRegion<Date, CertReminderPolicy>('a.unit_oid', regions, (r) => (r.days > 0 ? new Date(now.getTime() + r.days * 86_400_000) : null), 'timestamptz');
  const claimed = await sql<{ binding_id: number }>`
    INSERT INTO cert_expiry_reminders (binding_id, sent_at)
    SELECT b.id, ${now}::timestamptz FROM cert_bindings b JOIN accounts a ON a.id = b.account_id
    WHERE a.state = 'enabled' AND a.email IS NOT NULL AND b.not_after > ${now}::timestamptz AND b.not_after <= ${until}
      AND NOT EXISTS (SELECT 1 FROM cert_expiry_reminders r WHERE r.binding_id = b.id)
    ORDER BY b.id LIMIT ${limit}
    ON CONFLICT DO NOTHING
    RETURNING binding_id`.execute(trx);
  if (claimed.rows.length === 0) return [];
  return trx.selectFrom('cert_bindings as b').innerJoin('accounts as a', 'a.id', 'b.account_id')
    .select(['b.id', 'b.common_name', 'b.serial', 'b.not_after', 'a.id as account_id', 'a.name', 'a.username', 'a.email', 'a.unit_oid'])
    .where('b.id', 'in', claimed.rows.map((r) => Number(r.binding_id))).orderBy('b.id').execute();
}
