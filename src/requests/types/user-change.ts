// D-06-09 (REQ-3, seed 002): add, change (roles) or delete a general user of the requester's unit.
// The unit supervisor reviews, the registration administrator executes (ADM-7: only what that
// approver could do by hand). A change or deletion may carry an effective date (REQ-6).
import type { Lang } from '../../platform/web/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import { authorize } from '../../access/authorize.ts';
import { initialHashFor, isUniqueViolation, prepareAccount, usernameProblem, writeAccount, type AccountInput, type Prepared } from '../../admin/accounts.ts';
import { validateProfile } from '../../accounts/profile.ts';
import { maskNationalId } from '../../accounts/national-id.ts';
import { findAccountByUsername } from '../../accounts/store.ts';
import { isValidOid, isWithin } from '../../orgs/oid.ts';
import { effectivePolicyFor, orgExists, orgLabel } from '../../orgs/store.ts';
import { isMessageKey } from '../../messages.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { LIVE_STATES } from '../approvers-sql.ts';
import { setRequestSubject } from '../request-store.ts';
import { heldRoles } from '../role-store.ts';
import type { FormErrors, RequestTypeDefinition } from './definition.ts';
import {
  accountIn, formList, formText, giveRoles, liveAccount, payloadOf, refuseDuplicate, refuseExecution, refuseInput, roleNames, rolesWithSystems,
  shown, strings, takeRoles, text, tombstone, union, via,
} from './shared.ts';

/** The fields of a new general user in an "add". */
export const NEW_USER_FIELDS = ['unitOid', 'newUsername', 'name', 'nationalId', 'birthMonth', 'birthDay', 'email', 'mobile', 'title', 'department'] as const;

const keyOf = (s: string | null | undefined, fallback: MessageKey): MessageKey => (s && isMessageKey(s) ? s : fallback);

/** The account of an "add", checked by its unit's rules; the national ID sealed. */
async function newUserPayload(deps: Deps, myUnit: string, form: Record<string, unknown>, errors: FormErrors) {
  const v = Object.fromEntries(NEW_USER_FIELDS.map((k) => [k, formText(form[k])])) as Record<(typeof NEW_USER_FIELDS)[number], string>;
  const unitOid = v.unitOid || myUnit;
  if (!isValidOid(unitOid) || !isWithin(unitOid, myUnit) || !await orgExists(deps.db, unitOid)) {
    errors.unitOid = 'request.error.unit';
    return null;
  }
  const { policy } = await effectivePolicyFor(deps.db, unitOid);
  const r = validateProfile(v, policy);
  for (const [k, e] of Object.entries(r.errors)) errors[k] = keyOf(e, 'request.error.badInput');
  if (v.newUsername) {
    const u = await usernameProblem(deps.db, unitOid, v.newUsername);
    if (u) errors.newUsername = keyOf(u, 'request.error.badInput');
  } else if (policy['username.scheme'] !== 'national_id') errors.newUsername = 'profile.required';
  if (!r.profile || Object.keys(errors).length) return null;
  const nid = r.profile.nationalId;
  return {
    unitOid, username: v.newUsername, name: r.profile.name, birthMonth: v.birthMonth, birthDay: v.birthDay, email: r.profile.email ?? '', mobile: r.profile.mobile ?? '',
    title: r.profile.title ?? '', department: r.profile.department ?? '',
    nationalIdEnc: nid ? deps.keyring.encrypt(nid) : '', nationalIdMasked: nid ? maskNationalId(nid) : '',
  };
}

interface NewAccount { prepared: Prepared; hash: string | null }

export const userChange = {
  steps: ['supervisor', 'administrator'],
  effectiveDate: true,
  paperForm: 'D-06-09',

  async check(trx, _deps, input) {
    const action = input.payload.action;
    const reason = text(input.payload.reason);
    if (action === 'add') {
      const account = input.payload.account;
      if (!account || typeof account !== 'object') return refuseInput('request.error.badInput');
      const roles = await rolesWithSystems(trx, strings(input.payload.roles));
      // The account's fields are checked by the unit's rules when submitted (fromForm) and again,
      // by the same rules, when the administrator executes (prepareAccount).
      return { subjectAccountId: null, systems: roles.map((r) => r.system_code), payload: { action, account, roles: roles.map((r) => r.code).sort(), reason } };
    }
    if (action !== 'change' && action !== 'delete') return refuseInput('request.error.badInput', 'action');
    const subject = await accountIn(trx, input.subjectAccountId, input.orgOid);
    if (subject.id === input.requesterAccountId && action === 'delete') refuseInput('request.error.self');
    await refuseDuplicate(trx, ['user_change'], subject.id);
    if (action === 'delete') return { subjectAccountId: subject.id, systems: [], payload: { action, reason } };
    const add = await rolesWithSystems(trx, strings(input.payload.addRoles));
    const remove = await rolesWithSystems(trx, strings(input.payload.removeRoles));
    if (add.length + remove.length === 0) refuseInput('request.error.noRoles', 'roles');
    const held = await heldRoles(trx, subject.id);
    if (add.some((r) => held.has(r.code))) refuseInput('request.error.roleHeld', 'roles');
    if (remove.some((r) => !held.has(r.code))) refuseInput('request.error.roleNotHeld', 'roles');
    return {
      subjectAccountId: subject.id, systems: union(add.map((r) => r.system_code), remove.map((r) => r.system_code)),
      payload: { action, addRoles: add.map((r) => r.code).sort(), removeRoles: remove.map((r) => r.code).sort(), reason },
    };
  },

  // The registration administrator's approval adds, changes or deletes the account.
  execute: {
    async before(deps, r, actor): Promise<NewAccount | null> {
      if (payloadOf(r).action !== 'add') return null;
      const account = { ...(payloadOf(r).account as Record<string, string>) };
      const input: AccountInput = { ...account, unitOid: account.unitOid || r.org_oid, nationalId: account.nationalIdEnc ? deps.keyring.decrypt(account.nationalIdEnc) : '' };
      const checked = await prepareAccount(deps, actor, input);
      if (!checked.ok) return refuseExecution(checked.errors.unitOid === 'admin.unitOutside' ? 'request.exec.notAllowed' : 'request.exec.accountInvalid');
      return { prepared: checked.value, hash: await initialHashFor(deps, checked.value) };
    },
    async run(trx, x) {
      const q = payloadOf(x.r);
      if (q.action === 'add') {
        let id: number;
        try {
          id = await writeAccount(trx, x.deps, x.actor, x.prepared!.prepared, x.prepared!.hash, x.now, x.ip, x.r.lang as Lang, via(x.r));
        } catch (e) {
          if (isUniqueViolation(e)) refuseExecution('request.exec.usernameTaken');
          throw e;
        }
        await setRequestSubject(trx, x.r.id, id);
        const a = await liveAccount(trx, id);
        await giveRoles(trx, x, a, strings(q.roles));
        return;
      }
      const a = await liveAccount(trx, x.r.subject_account_id);
      if (q.action === 'delete') {
        if (!authorize(x.actor, 'account.delete', { oid: a.unit_oid }) || a.id === x.actor.accountId) refuseExecution('request.exec.notAllowed');
        await tombstone(trx, x, a, 'account.delete');
        return;
      }
      await takeRoles(trx, x, a, strings(q.removeRoles));
      await giveRoles(trx, x, a, strings(q.addRoles));
    },
  },

  async describe({ deps, r, q, f, t, who, lang }) {
    const action = shown(q.action);
    const head = [f('request.field.change', t(`request.uc.${action}` as MessageKey))];
    if (action === 'add') {
      const a = (q.account ?? {}) as Record<string, unknown>;
      return [...head, f('request.field.username', shown(a.username)), f('request.field.name', shown(a.name)), f('request.field.unit', await orgLabel(deps.db, shown(a.unitOid) || r.org_oid)),
        f('request.field.nationalId', shown(a.nationalIdMasked)), f('request.field.email', shown(a.email)), f('request.field.title', shown(a.title)),
        f('request.field.roles', await roleNames(deps.db, strings(q.roles), lang)), f('request.field.reason', shown(q.reason))];
    }
    return [...head, ...who, ...(action === 'change' ? [f('request.field.addRoles', await roleNames(deps.db, strings(q.addRoles), lang)), f('request.field.removeRoles', await roleNames(deps.db, strings(q.removeRoles), lang))] : []),
      f('request.field.reason', shown(q.reason))];
  },

  async fromForm({ deps, me, form, errors, base, reason, effectiveDate, needReason }) {
    needReason();
    const action = formText(form.action);
    if (action === 'add') {
      const account = await newUserPayload(deps, me.unit_oid, form, errors);
      return account ? { ...base, orgOid: account.unitOid, subjectAccountId: null, payload: { action, account, roles: formList(form.roles), reason } } : null;
    }
    if (action !== 'change' && action !== 'delete') { errors.action = 'request.error.badInput'; return null; }
    // The account changed or deleted: by username, inside the requester's own unit.
    const a = await findAccountByUsername(deps.db, formText(form.username, 100));
    if (!a || !LIVE_STATES.includes(a.state) || !isWithin(a.unit_oid, me.unit_oid)) { errors.username = 'request.error.noSubject'; return null; }
    return { ...base, orgOid: a.unit_oid, subjectAccountId: a.id, payload: { action, addRoles: formList(form.addRoles), removeRoles: formList(form.removeRoles), reason }, effectiveDate };
  },

  page: {
    intro: 'request.form.uc.intro',
    fields: [
      { kind: 'radios', name: 'action', legend: 'request.form.action', options: [{ value: 'add', label: 'request.uc.add' }, { value: 'change', label: 'request.uc.change' }, { value: 'delete', label: 'request.uc.delete' }] },
      { kind: 'text', name: 'username', label: 'request.form.uc.target', hint: 'request.form.uc.targetHint', unlessAction: 'add' },
      {
        kind: 'group', legend: 'request.form.uc.newUser', fields: [
          { kind: 'text', name: 'unitOid', label: 'request.field.unit', hint: 'request.form.uc.unitHint', inputMode: 'decimal' },
          { kind: 'text', name: 'newUsername', label: 'request.field.username' },
          { kind: 'text', name: 'name', label: 'request.field.name' },
          { kind: 'text', name: 'nationalId', label: 'request.field.nationalId', maxLength: 20 },
          { kind: 'text', name: 'birthMonth', label: 'profile.field.birthMonth', inputMode: 'numeric', maxLength: 2 },
          { kind: 'text', name: 'birthDay', label: 'profile.field.birthDay', inputMode: 'numeric', maxLength: 2, showError: false },
          { kind: 'text', name: 'email', label: 'request.field.email', type: 'email' },
          { kind: 'text', name: 'mobile', label: 'request.field.mobile', type: 'tel' },
          { kind: 'text', name: 'title', label: 'request.field.title', showError: false },
          { kind: 'text', name: 'department', label: 'request.field.department', showError: false },
        ],
      },
      { kind: 'checkboxes', name: 'roles', legend: 'request.form.uc.roles', from: 'roles' },
      { kind: 'checkboxes', name: 'addRoles', legend: 'request.form.uc.addRoles', from: 'roles', showError: false },
      { kind: 'checkboxes', name: 'removeRoles', legend: 'request.form.uc.removeRoles', from: 'roles', showError: false },
      { kind: 'effectiveDate' },
    ],
  },
} satisfies RequestTypeDefinition<NewAccount | null>;
