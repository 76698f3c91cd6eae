// One sub-account, managed by the school's main-account holder (ACC-7, ADM-5; seed 001 "建立及
// 管理各校子帳號、權限"; issue 9 item 13): edit its data, set its 編報站權限 (system roles, within
// the grant's categories), send it a new set-password link. Each use case first checks that the
// account belongs to the tenant and that `authorize` allows the action, then reuses the
// administrator's use case, which authorizes again, writes in one transaction and audits.
import type { Deps } from '../platform/deps.ts';
import type { Lang, MessageKey } from '../platform/web/messages.ts';
import type { Actor } from '../access/authorize.ts';
import { updateAccount } from '../admin/accounts.ts';
import { resendVerificationMail, type ActionOutcome } from '../admin/account-actions.ts';
import { roleChoices, setRoles } from '../admin/role-assignment.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { tenantAccount, type Tenant } from './tenant-accounts.ts';
import { mainAccountGrant, tenantEmailTaken } from './tenant-store.ts';

/** The fields seed 001's sub-account form has, apart from the username and the national ID. */
export const SUB_EDIT_FIELDS = ['name', 'department', 'title', 'officePhone', 'officeExt', 'email'] as const;
export type SubEditField = (typeof SUB_EDIT_FIELDS)[number];
export type SubEditInput = Record<SubEditField, string>;
export type SubEditErrors = Partial<Record<SubEditField, MessageKey>>;
const REQUIRED: SubEditField[] = ['name', 'department', 'title', 'officePhone', 'email'];

/** The sub-account page's data: the account, its grantable roles, the roles held outside them, its unit policy. */
export async function subAccountDetail(deps: Deps, actor: Actor, tenant: Tenant, id: number) {
  await tenantAccount(deps, actor, tenant, id, 'account.view');
  const choices = await roleChoices(deps, actor, id);
  const [{ policy }, holder] = await Promise.all([
    effectivePolicyFor(deps.db, choices.account.unit_oid),
    mainAccountGrant(deps.db, id, tenant.oid),
  ]);
  return { ...choices, policy, isHolder: holder !== undefined };
}

/**
 * 編輯子帳號: the holder corrects a sub-account's data. Seed 001's required fields stay required,
 * and an e-mail address another account of the school has is refused (one person, one account,
 * ACC-10). Not the holder's own account: that is 基本資料維護, where name and ID are locked (ACC-4).
 */
export async function updateSubAccount(deps: Deps, actor: Actor, tenant: Tenant, id: number, input: SubEditInput, ip: string):
  Promise<{ ok: true; changed: string[] } | { ok: false; errors: SubEditErrors }> {
  const a = await tenantAccount(deps, actor, tenant, id, 'account.update');
  if (a.id === actor.accountId) return { ok: false, errors: { name: 'tenant.editSelf' } };
  const errors: SubEditErrors = {};
  for (const f of REQUIRED) if (!input[f].trim()) errors[f] = 'profile.required';
  const email = input.email.trim().toLowerCase();
  if (email && !errors.email) {
    if (await tenantEmailTaken(deps.db, tenant.oid, email, a.id)) errors.email = 'tenant.dupEmail';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const r = await updateAccount(deps, actor, a.id, { ...input, email }, ip);
  return r.ok ? { ok: true, changed: r.value.changed } : { ok: false, errors: r.errors as SubEditErrors };
}

/** 編報站權限: the full ticked list of the roles the holder may give (role.assign per role). */
export async function setSubAccountRoles(deps: Deps, actor: Actor, tenant: Tenant, id: number, wanted: string[], ip: string) {
  await tenantAccount(deps, actor, tenant, id, 'account.view');
  return setRoles(deps, actor, id, wanted, ip);
}

/** 補寄驗證信, or for an activated sub-account a link to set a new password (issue 9 item 12). */
export async function sendSubAccountLink(deps: Deps, actor: Actor, tenant: Tenant, id: number, ip: string, lang: Lang): Promise<ActionOutcome<{ activated: boolean }>> {
  await tenantAccount(deps, actor, tenant, id, 'account.resendMail');
  return resendVerificationMail(deps, actor, id, ip, lang);
}
