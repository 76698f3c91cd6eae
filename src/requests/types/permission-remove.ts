// REQ-2 申請刪除權限: an existing user gives up one role, possibly from an effective date (REQ-6);
// the administrator of the user's organisation for that system decides, and approval removes it.
import type { RequestTypeDefinition } from './definition.ts';
import { checkPermission, describePermission, liveAccount, payloadOf, permissionFromForm, takeRoles } from './shared.ts';

export const permissionRemove = {
  steps: ['administrator'],
  effectiveDate: true,
  check: (trx, _deps, input) => checkPermission(trx, input, false),
  execute: {
    async run(trx, x) { await takeRoles(trx, x, await liveAccount(trx, x.r.subject_account_id), [String(payloadOf(x.r).role)]); },
  },
  describe: (x) => describePermission(x, false),
  // Asked on /requests/permissions, not a page of its own.
  fromForm: permissionFromForm,
} satisfies RequestTypeDefinition;
