// D-06-11 (REQ-3, AUTH-7, seed 002): a one-day password for the subject, who has no card today. The
// unit supervisor approves, the registration administrator's approval enables it, valid until midnight.
import { audit } from '../../platform/audit.ts';
import { authorize } from '../../access/authorize.ts';
import { issuedPasswordHash, writeIssuedPassword } from '../../admin/account-actions.ts';
import { findAccount } from '../account-store.ts';
import type { RequestTypeDefinition } from './definition.ts';
import { accountIn, liveAccount, refuseDuplicate, refuseExecution, refuseInput, shown, text, via } from './shared.ts';

export const oneDayPassword = {
  steps: ['supervisor', 'administrator'],
  effectiveDate: false,
  paperForm: 'D-06-11',

  async check(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    // The one-day password is the initial-password scheme: it needs the birthday and the national ID.
    if (!subject.national_id_enc || !subject.birth_month || !subject.birth_day) refuseInput('request.error.oneDayData');
    await refuseDuplicate(trx, ['one_day_password'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { reason: text(input.payload.reason) } };
  },

  execute: {
    async before(deps, r): Promise<string> {
      const a = r.subject_account_id === null ? undefined : await findAccount(deps.db, r.subject_account_id);
      const hash = a ? await issuedPasswordHash(deps, a) : null;
      return hash ?? refuseExecution('request.error.oneDayData');
    },
    async run(trx, x) {
      const a = await liveAccount(trx, x.r.subject_account_id);
      if (!authorize(x.actor, 'account.oneDayPassword', { oid: a.unit_oid })) refuseExecution('request.exec.notAllowed');
      const expiresAt = await writeIssuedPassword(trx, x.deps, a, 'one_day', x.prepared, x.now, false);
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.oneDayPassword', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { expiresAt: expiresAt.toISOString(), ...via(x.r) } });
    },
  },

  describe: async ({ q, f, who }) => [...who, f('request.field.reason', shown(q.reason))],

  async fromForm({ base, reason, needReason }) {
    needReason();
    return { ...base, payload: { reason } };
  },

  page: { intro: 'request.form.odp.intro', fields: [] },
} satisfies RequestTypeDefinition<string>;
