// REQ-2 申請權限: an existing user asks for one role of an application system; the administrator of
// the user's organisation for that system decides, and approval grants the role.
import type { RequestTypeDefinition } from './definition.ts';
import { checkPermission, describePermission, giveRoles, liveAccount, payloadOf, permissionFromForm } from './shared.ts';

export const permissionAdd = {
  steps: ['administrator'],
  effectiveDate: false,
  check: (trx, _deps, input) => checkPermission(trx, input, true),
  execute: {
    async run(trx, x) { await giveRoles(trx, x, await liveAccount(trx, x.r.subject_account_id), [String(payloadOf(x.r).role)]); },
  },
  describe: (x) => describePermission(x, true),
  // Asked on /requests/permissions, not a page of its own.
  fromForm: permissionFromForm,
} satisfies RequestTypeDefinition;
