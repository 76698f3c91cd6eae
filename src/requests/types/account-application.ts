// REQ-1 (seed 000): a self-service account application, submitted by /apply (src/applications) with
// the account created as pending. The agency's administrator (機關管理者) whose categories cover the
// systems applied for decides it; approval enables the account with the roles applied for, and a
// rejection erases the pending account and frees its username for a new application.
import { audit } from '../../platform/audit.ts';
import { orgLabel } from '../../orgs/store.ts';
import { enableAccount, findAccount, findPendingAccount, freeUsername } from '../account-store.ts';
import { maskNationalId } from '../../accounts/national-id.ts';
import type { RequestTypeDefinition } from './definition.ts';
import {
  accountIn, giveRoles, grantableRoles, liveAccount, payloadOf, refuseDuplicate, refuseInput, roleNames, rolesWithSystems, strings, tombstone, union, via,
} from './shared.ts';

export const accountApplication = {
  steps: ['administrator'],
  effectiveDate: false,

  async check(trx, _deps, input) {
    const a = await accountIn(trx, input.payload.accountId, input.orgOid, ['pending']);
    const roles = await rolesWithSystems(trx, strings(input.payload.roles));
    if (roles.length === 0) refuseInput('request.error.noRoles', 'roles');
    await refuseDuplicate(trx, ['account_application'], a.id);
    return {
      subjectAccountId: a.id, systems: union(input.systems ?? [], roles.map((r) => r.system_code)),
      payload: { accountId: a.id, roles: roles.map((r) => r.code).sort() },
    };
  },

  execute: {
    async run(trx, x) {
      const a = await liveAccount(trx, Number(payloadOf(x.r).accountId), ['pending']);
      await grantableRoles(trx, x.actor, a.unit_oid, strings(payloadOf(x.r).roles));
      await enableAccount(trx, a.id, x.now);
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.approve', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip: x.ip, details: { before: 'pending', after: 'enabled', ...via(x.r) } });
      await giveRoles(trx, x, a, strings(payloadOf(x.r).roles));
    },
    async onReject(trx, x) {
      const a = await findPendingAccount(trx, Number(payloadOf(x.r).accountId));
      if (!a) return;
      await tombstone(trx, x, a, 'account.application.erase');
      // The tombstone keeps a unique name that frees the real one.
      await freeUsername(trx, a.id);
    },
  },

  // Everything the applicant entered on /apply (seed 000 steps 4-7), under the labels the form
  // showed, for the reviewer to check (REQ-4, issue 9 item 16). The national ID stays masked.
  async describe({ deps, q, f, who, lang, subject }) {
    const a = subject ? await findAccount(deps.db, subject.id) : undefined;
    const phone = a?.office_phone ? a.office_phone + (a.office_ext ? (lang === 'en' ? ` ext. ${a.office_ext}` : ` 分機 ${a.office_ext}`) : '') : '';
    return [...who, f('request.field.unit', a ? await orgLabel(deps.db, a.unit_oid) : ''),
      f('profile.field.nationalId', a?.national_id_enc ? maskNationalId(deps.keyring.decrypt(a.national_id_enc)) : ''),
      f('request.field.email', a?.email ?? ''), f('request.field.mobile', a?.mobile ?? ''),
      f('request.field.title', a?.title ?? ''), f('profile.field.department', a?.department ?? ''), f('profile.field.address', a?.address ?? ''),
      f('profile.field.officePhone', phone), f('profile.field.fax', a?.fax ?? ''),
      f('request.field.roles', await roleNames(deps.db, strings(q.roles), lang))];
  },

  // A rejection erases the applicant's pending account.
  rejectWarning: 'request.decide.confirmApplication',
} satisfies RequestTypeDefinition;
