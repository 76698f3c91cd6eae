// GOV-2, REQ-3 (issue 14): re-enabling an account the inactivity sweep disabled, through a request.
// The holder cannot sign in, so someone of their unit (a colleague or the unit supervisor) files it
// for them by username, with the reason; their registration administrator's approval enables the
// account (as the administrator could by hand: account.state over its unit), audited as
// `account.state` with reason 'reenable_request'. Only accounts the sweep disabled qualify: an
// account an administrator disabled is theirs to enable again.
import { audit } from '../../platform/audit.ts';
import { authorize } from '../../access/authorize.ts';
import { setAccountStateRow } from '../../admin/account-store.ts';
import { findAccountByUsername } from '../../accounts/store.ts';
import { isWithin } from '../../orgs/oid.ts';
import { disabledForInactivityAt } from '../account-store.ts';
import type { RequestTypeDefinition } from './definition.ts';
import { accountIn, formText, refuseDuplicate, refuseExecution, refuseInput, shown, text, via } from './shared.ts';

export const accountReenable = {
  steps: ['administrator'],
  effectiveDate: false,

  async check(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId, input.orgOid, ['disabled']);
    if (!await disabledForInactivityAt(trx, subject.id)) refuseInput('request.error.notInactive', 'username');
    await refuseDuplicate(trx, ['account_reenable'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { reason: text(input.payload.reason) } };
  },

  execute: {
    async run(trx, x) {
      const a = await accountIn(trx, x.r.subject_account_id, x.r.org_oid, ['disabled']).catch(() => refuseExecution('request.exec.notAllowed'));
      if (!authorize(x.actor, 'account.state', { oid: a.unit_oid })) refuseExecution('request.exec.notAllowed');
      const next = a.activated_at ? 'enabled' : 'not_activated';
      await setAccountStateRow(trx, a.id, next, x.now);
      await audit(trx, x.now, {
        actor: x.actor.accountId, action: 'account.state', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip,
        details: { before: 'disabled', after: next, reason: 'reenable_request', ...via(x.r) },
      });
    },
  },

  describe: async ({ q, f, who }) => [...who, f('request.field.reason', shown(q.reason))],

  async fromForm({ deps, me, form, errors, base, reason, needReason }) {
    needReason();
    // The disabled account: by username, inside the requester's own unit.
    const a = await findAccountByUsername(deps.db, formText(form.username, 100));
    if (!a || a.state !== 'disabled' || !isWithin(a.unit_oid, me.unit_oid)) { errors.username = 'request.error.noSubject'; return null; }
    return { ...base, orgOid: a.unit_oid, subjectAccountId: a.id, payload: { reason } };
  },

  page: { intro: 'request.form.reenable.intro', fields: [{ kind: 'text', name: 'username', label: 'request.form.reenable.target', hint: 'request.form.reenable.targetHint' }] },
} satisfies RequestTypeDefinition<undefined>;
