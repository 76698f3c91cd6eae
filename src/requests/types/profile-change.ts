// ACC-4 (REQ-3, seed 003 "由上一層管理者協助修改"): a change of the locked fields (unit, name,
// national ID), made upstream. The unit supervisor reviews, the registration administrator's
// approval changes them. The new national ID is sealed when the form is read and kept only sealed
// and masked.
import { audit } from '../../platform/audit.ts';
import { authorize } from '../../access/authorize.ts';
import { validateProfile } from '../../accounts/profile.ts';
import { isValidNationalId, maskNationalId, normaliseNationalId } from '../../accounts/national-id.ts';
import { nationalIdIndex } from '../../accounts/store.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { orgExists, orgLabel } from '../../orgs/store.ts';
import { nationalIdInUse } from '../../accounts/store.ts';
import { updateLockedFields, type LockedFields } from '../account-store.ts';
import type { RequestTypeDefinition } from './definition.ts';
import { accountIn, formText, liveAccount, payloadOf, refuseDuplicate, refuseExecution, refuseInput, shown, text, via } from './shared.ts';

export const profileChange = {
  steps: ['supervisor', 'administrator'],
  effectiveDate: false,

  async check(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    const p = input.payload;
    const name = text(p.name, 100) || null;
    const unitOid = text(p.unitOid, 200) || null;
    const nationalIdEnc = text(p.nationalIdEnc, 1000) || null;
    const nationalIdMasked = nationalIdEnc ? text(p.nationalIdMasked, 20) : null;
    if (!name && !unitOid && !nationalIdEnc) refuseInput('request.error.noChange');
    if (unitOid && (!isValidOid(unitOid) || !await orgExists(trx, unitOid))) refuseInput('request.error.unit', 'unitOid');
    await refuseDuplicate(trx, ['profile_change'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { name, unitOid, nationalIdEnc, nationalIdMasked, reason: text(p.reason) } };
  },

  // The locked fields change as the approved request says.
  execute: {
    async run(trx, x) {
      const a = await liveAccount(trx, x.r.subject_account_id);
      const q = payloadOf(x.r);
      const unitOid = typeof q.unitOid === 'string' && q.unitOid ? q.unitOid : a.unit_oid;
      if (!authorize(x.actor, 'account.update', { oid: a.unit_oid })) refuseExecution('request.exec.notAllowed');
      if (unitOid !== a.unit_oid && !(authorize(x.actor, 'account.move', { oid: a.unit_oid }) && authorize(x.actor, 'account.move', { oid: unitOid }))) refuseExecution('request.exec.notAllowed');
      const changed: string[] = [];
      const set: LockedFields = {};
      if (typeof q.name === 'string' && q.name && q.name !== a.name) { set.name = q.name; changed.push('name'); }
      if (unitOid !== a.unit_oid) { set.unit_oid = unitOid; changed.push('unitOid'); }
      if (typeof q.nationalIdEnc === 'string' && q.nationalIdEnc) {
        const hmac = nationalIdIndex(x.deps.keyring, x.deps.keyring.decrypt(q.nationalIdEnc));
        if (await nationalIdInUse(trx, hmac, a.id)) refuseExecution('request.exec.nationalIdTaken');
        if (hmac !== a.national_id_hmac) { set.national_id_enc = q.nationalIdEnc; set.national_id_hmac = hmac; changed.push('nationalId'); }
      }
      if (changed.length === 0) return;
      await updateLockedFields(trx, a.id, set, x.now);
      await audit(trx, x.now, { actor: x.actor.accountId, action: 'account.update', targetType: 'account', targetId: a.id, orgOid: unitOid, ip: x.ip, details: { changed, ...(set.unit_oid ? { before: { unitOid: a.unit_oid }, after: { unitOid } } : {}), ...via(x.r) } });
    },
  },

  describe: async ({ deps, q, f, who }) => [...who, ...(q.name ? [f('request.field.newName', shown(q.name))] : []), ...(q.unitOid ? [f('request.field.newUnit', await orgLabel(deps.db, shown(q.unitOid)))] : []),
    ...(q.nationalIdMasked ? [f('request.field.newNationalId', shown(q.nationalIdMasked))] : []), f('request.field.reason', shown(q.reason))],

  async fromForm({ deps, form, errors, base, reason, needReason }) {
    needReason();
    const name = formText(form.name, 100), unitOid = formText(form.unitOid), rawId = formText(form.nationalId, 20);
    const payload: Record<string, unknown> = { reason };
    if (name) {
      if (validateProfile({ name }, { 'email.allowedDomains': [], 'nationalId.required': false }).errors.name) errors.name = 'profile.name';
      payload.name = name;
    }
    if (unitOid) payload.unitOid = unitOid;
    if (rawId) {
      const nid = normaliseNationalId(rawId);
      if (!isValidNationalId(nid)) errors.nationalId = 'profile.nationalId';
      else { payload.nationalIdEnc = deps.keyring.encrypt(nid); payload.nationalIdMasked = maskNationalId(nid); }
    }
    return { ...base, payload };
  },

  page: {
    intro: 'request.form.pc.intro',
    fields: [
      { kind: 'text', name: 'name', label: 'request.form.pc.name', autocomplete: 'name' },
      { kind: 'text', name: 'unitOid', label: 'request.form.pc.unit', inputMode: 'decimal' },
      { kind: 'text', name: 'nationalId', label: 'request.form.pc.nationalId', maxLength: 20, echo: false },
    ],
  },
} satisfies RequestTypeDefinition;
