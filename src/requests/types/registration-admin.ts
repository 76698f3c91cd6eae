// D-06-10 (REQ-3, seed 002): designate the subject as registration administrator (註冊管理者) of a
// jurisdiction and categories, or change one of its grants to new ones. The unit supervisor
// reviews, the central authority (本署) approves and the grant is made (ADM-7: only as far as that
// approver may grant). May carry an effective date (REQ-6).
import { isValidOid } from '../../orgs/oid.ts';
import { orgExists, orgLabel } from '../../orgs/store.ts';
import { deleteRegistrationGrant, findRegistrationGrant, grantCoverage, knownCategories } from '../grant-store.ts';
import { audit } from '../../platform/audit.ts';
import { authorize } from '../../access/authorize.ts';
import { insertGrant } from '../../admin/grants.ts';
import type { RequestTypeDefinition } from './definition.ts';
import { accountIn, formList, formText, liveAccount, payloadOf, refuseDuplicate, refuseExecution, refuseInput, shown, strings, text, via } from './shared.ts';

export const registrationAdmin = {
  steps: ['supervisor', 'central'],
  effectiveDate: true,
  paperForm: 'D-06-10',

  async check(trx, _deps, input) {
    const subject = await accountIn(trx, input.subjectAccountId ?? input.requesterAccountId, input.orgOid);
    const action = input.payload.action === 'change' ? 'change' : 'designate';
    const jurisdictionOid = text(input.payload.jurisdictionOid, 200);
    if (!isValidOid(jurisdictionOid) || !await orgExists(trx, jurisdictionOid)) {
      refuseInput('request.error.jurisdiction', 'jurisdictionOid');
    }
    const categories = [...new Set(strings(input.payload.categories).map((c) => c.trim()).filter(Boolean))].sort();
    if (categories.length === 0) refuseInput('request.error.categories', 'categories');
    const known = await knownCategories(trx);
    if (categories.some((c) => c !== '*' && !known.has(c))) refuseInput('request.error.categories', 'categories');
    let grantId: number | null = null;
    if (action === 'change') {
      const g = await findRegistrationGrant(trx, subject.id, Number(input.payload.grantId) || 0);
      if (!g) refuseInput('request.error.grant', 'grantId');
      grantId = g!.id;
    }
    await refuseDuplicate(trx, ['registration_admin'], subject.id);
    return { subjectAccountId: subject.id, systems: [], payload: { action, jurisdictionOid, categories, grantId, reason: text(input.payload.reason) } };
  },

  // The central authority's approval makes (or replaces) the registration-administrator grant.
  execute: {
    async run(trx, x) {
      const q = payloadOf(x.r);
      const a = await liveAccount(trx, x.r.subject_account_id);
      const jurisdictionOid = String(q.jurisdictionOid);
      const categories = strings(q.categories);
      if (!authorize(x.actor, 'grant.create', { oid: jurisdictionOid, grant: { kind: 'registration_admin', categories } })) refuseExecution('request.exec.notAllowed');
      if (q.action === 'change') {
        const old = await deleteRegistrationGrant(trx, a.id, Number(q.grantId));
        if (!old) return refuseExecution('request.exec.grantGone');
        await audit(trx, x.now, { actor: x.actor.accountId, action: 'admin_grant.revoke', targetType: 'account', targetId: a.id, orgOid: old.jurisdiction_oid, ip: x.ip, details: { grantId: old.id, kind: 'registration_admin', jurisdictionOid: old.jurisdiction_oid, categories: old.categories, ...via(x.r) } });
      }
      await insertGrant(trx, x.now, x.actor.accountId, { accountId: a.id, kind: 'registration_admin', jurisdictionOid, categories }, x.ip, `request ${x.r.id}`);
    },
  },

  async describe({ deps, q, f, t, who }) {
    const old = q.action === 'change' && q.grantId ? await grantCoverage(deps.db, Number(q.grantId)) : undefined;
    return [...who, f('request.field.change', t(q.action === 'change' ? 'request.ra.change' : 'request.ra.designate')),
      ...(q.action === 'change' ? [f('request.field.oldGrant', old ? `${await orgLabel(deps.db, old.jurisdiction_oid)} ${old.categories.join(', ')}` : `#${shown(q.grantId)}`)] : []),
      f('request.field.jurisdiction', await orgLabel(deps.db, shown(q.jurisdictionOid))), f('request.field.categories', strings(q.categories).join(', ')), f('request.field.reason', shown(q.reason))];
  },

  async fromForm({ base, form, reason, effectiveDate, needReason }) {
    needReason();
    return {
      ...base, effectiveDate,
      payload: { action: formText(form.action) === 'change' ? 'change' : 'designate', jurisdictionOid: formText(form.jurisdictionOid), categories: formList(form.categories), grantId: Number(formText(form.grantId)) || null, reason },
    };
  },

  page: {
    intro: 'request.form.ra.intro',
    fields: [
      { kind: 'radios', name: 'action', legend: 'request.form.action', options: [{ value: 'designate', label: 'request.ra.designate' }, { value: 'change', label: 'request.ra.change' }] },
      { kind: 'grant', name: 'grantId', label: 'request.form.ra.grantId', none: 'request.form.ra.grantNone' },
      { kind: 'text', name: 'jurisdictionOid', label: 'request.form.ra.jurisdiction', inputMode: 'decimal', required: true },
      { kind: 'checkboxes', name: 'categories', legend: 'request.form.ra.categories', from: 'categories' },
      { kind: 'effectiveDate' },
    ],
  },
} satisfies RequestTypeDefinition;
