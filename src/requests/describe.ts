// A request as people read it (審查詳細資訊, REQ-4; history, REQ-5): its fields and every step,
// decided or not, in one language. The details page and the printed form (always Traditional
// Chinese) are both made from this.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { translator, type Lang, type MessageKey, type Translate } from '../messages.ts';
import { formatTime } from '../platform/web/format.ts';
import type { RequestForm } from './pdf.ts';
import type { RequestRow } from './executors.ts';
import { REQUEST_TYPES, isRequestType, requestNumber } from './types.ts';
import { maskNationalId } from '../accounts/national-id.ts';
import { orgLabel } from '../orgs/store.ts';

export interface StepView { no: number; kind: string; label: string; decision: string | null; decisionLabel: string | null; decidedBy: string | null; comment: string | null; decidedAt: string | null }

export interface RequestView {
  id: number; number: string; type: string; title: string; form: string | null; status: string; statusLabel: string;
  stepNo: number; stepKind: string | null; orgOid: string; orgName: string | null;
  requester: { name: string; username: string } | null; subject: { id: number; name: string; username: string; unitOid: string } | null;
  submittedAt: string; effectiveDate: string | null; executedAt: string | null; error: string | null;
  fields: { label: string; value: string }[]; steps: StepView[];
}

const p = (r: RequestRow) => r.payload as Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

async function roleNames(db: Db, codes: string[], lang: Lang): Promise<string> {
  if (codes.length === 0) return '—';
  const rows = await db.selectFrom('roles as r').innerJoin('application_systems as s', 's.code', 'r.system_code')
    .select(['r.code', 'r.name_zh', 'r.name_en', 's.name_zh as sz', 's.name_en as se']).where('r.code', 'in', codes).execute();
  return codes.map((c) => {
    const r = rows.find((x) => x.code === c);
    // Names only (issue 9 item 18): the role's code means nothing to the people reading the request.
    return r ? (lang === 'en' ? `${r.se} — ${r.name_en}` : `${r.sz}－${r.name_zh}`) : c;
  }).join(lang === 'en' ? '; ' : '；');
}


/** The type's own fields, labelled. */
async function typeFields(deps: Deps, r: RequestRow, t: Translate, lang: Lang, subject: RequestView['subject']): Promise<{ label: string; value: string }[]> {
  const q = p(r);
  const f = (key: MessageKey, value: string) => ({ label: t(key), value: value || '—' });
  const who = subject ? [f('request.field.username', subject.username), f('request.field.name', subject.name)] : [];
  switch (r.type) {
    case 'account_application': {
      // Everything the applicant entered on /apply (seed 000 steps 4-7), under the labels the form
      // showed, for the reviewer to check (REQ-4, issue 9 item 16). The national ID stays masked.
      const a = subject ? await deps.db.selectFrom('accounts').selectAll().where('id', '=', subject.id).executeTakeFirst() : undefined;
      const phone = a?.office_phone ? a.office_phone + (a.office_ext ? (lang === 'en' ? ` ext. ${a.office_ext}` : ` 分機 ${a.office_ext}`) : '') : '';
      return [...who, f('request.field.unit', a ? await orgLabel(deps.db, a.unit_oid) : ''),
        f('profile.field.nationalId', a?.national_id_enc ? maskNationalId(deps.keyring.decrypt(a.national_id_enc)) : ''),
        f('request.field.email', a?.email ?? ''), f('request.field.mobile', a?.mobile ?? ''),
        f('request.field.title', a?.title ?? ''), f('profile.field.department', a?.department ?? ''), f('profile.field.address', a?.address ?? ''),
        f('profile.field.officePhone', phone), f('profile.field.fax', a?.fax ?? ''),
        f('request.field.roles', await roleNames(deps.db, strings(q.roles), lang))];
    }
    case 'permission_add': case 'permission_remove':
      return [...who, f('request.field.change', t(r.type === 'permission_add' ? 'request.permission.add' : 'request.permission.remove')), f('request.field.role', await roleNames(deps.db, [str(q.role)], lang))];
    case 'registration_admin': {
      const old = q.action === 'change' && q.grantId ? await deps.db.selectFrom('admin_grants').select(['jurisdiction_oid', 'categories']).where('id', '=', Number(q.grantId)).executeTakeFirst() : undefined;
      return [...who, f('request.field.change', t(q.action === 'change' ? 'request.ra.change' : 'request.ra.designate')),
        ...(q.action === 'change' ? [f('request.field.oldGrant', old ? `${await orgLabel(deps.db, old.jurisdiction_oid)} ${old.categories.join(', ')}` : `#${str(q.grantId)}`)] : []),
        f('request.field.jurisdiction', await orgLabel(deps.db, str(q.jurisdictionOid))), f('request.field.categories', strings(q.categories).join(', ')), f('request.field.reason', str(q.reason))];
    }
    case 'user_change': {
      const action = str(q.action);
      const head = [f('request.field.change', t(`request.uc.${action}` as MessageKey))];
      if (action === 'add') {
        const a = (q.account ?? {}) as Record<string, unknown>;
        return [...head, f('request.field.username', str(a.username)), f('request.field.name', str(a.name)), f('request.field.unit', await orgLabel(deps.db, str(a.unitOid) || r.org_oid)),
          f('request.field.nationalId', str(a.nationalIdMasked)), f('request.field.email', str(a.email)), f('request.field.title', str(a.title)),
          f('request.field.roles', await roleNames(deps.db, strings(q.roles), lang)), f('request.field.reason', str(q.reason))];
      }
      return [...head, ...who, ...(action === 'change' ? [f('request.field.addRoles', await roleNames(deps.db, strings(q.addRoles), lang)), f('request.field.removeRoles', await roleNames(deps.db, strings(q.removeRoles), lang))] : []),
        f('request.field.reason', str(q.reason))];
    }
    case 'one_day_password':
      return [...who, f('request.field.reason', str(q.reason))];
    case 'profile_change':
      return [...who, ...(q.name ? [f('request.field.newName', str(q.name))] : []), ...(q.unitOid ? [f('request.field.newUnit', await orgLabel(deps.db, str(q.unitOid)))] : []),
        ...(q.nationalIdMasked ? [f('request.field.newNationalId', str(q.nationalIdMasked))] : []), f('request.field.reason', str(q.reason))];
    default:
      return [];
  }
}

export async function describeRequest(deps: Deps, r: RequestRow, lang: Lang): Promise<RequestView> {
  const t = translator(lang);
  const type = isRequestType(r.type) ? r.type : null;
  const ids = [r.requester_account_id, r.subject_account_id].filter((x): x is number => x !== null);
  const [people, org, decisions] = await Promise.all([
    ids.length ? deps.db.selectFrom('accounts').select(['id', 'name', 'username', 'unit_oid', 'state']).where('id', 'in', ids).execute() : Promise.resolve([]),
    deps.db.selectFrom('orgs').select('name').where('oid', '=', r.org_oid).executeTakeFirst(),
    deps.db.selectFrom('request_decisions').selectAll().where('request_id', '=', r.id).orderBy('step_no').execute(),
  ]);
  const person = (id: number | null) => {
    const a = people.find((x) => x.id === id);
    // An erased account (a rejected application) keeps no name or username to show.
    return a && a.state !== 'deleted' ? a : undefined;
  };
  const req = person(r.requester_account_id), sub = person(r.subject_account_id);
  const subject = sub ? { id: sub.id, name: sub.name, username: sub.username, unitOid: sub.unit_oid } : null;
  const steps: StepView[] = (type ? REQUEST_TYPES[type].steps : []).map((kind, i) => {
    const d = decisions.find((x) => x.step_no === i + 1);
    return {
      no: i + 1, kind, label: t(`request.step.${kind}` as MessageKey), decision: d?.decision ?? null,
      decisionLabel: d ? t(`request.decision.${d.decision}` as MessageKey) : null, decidedBy: d?.decider_name ?? null,
      comment: d ? d.comment : null, decidedAt: d ? formatTime(d.decided_at, lang) : null,
    };
  });
  const fields = await typeFields(deps, r, t, lang, subject);
  if (r.effective_date) fields.push({ label: t('request.field.effectiveDate'), value: r.effective_date });
  return {
    id: r.id, number: requestNumber(r.id), type: r.type, title: t(`request.type.${r.type}` as MessageKey), form: type ? REQUEST_TYPES[type].form ?? null : null,
    status: r.status, statusLabel: t(`request.status.${r.status}` as MessageKey), stepNo: r.step_no, stepKind: r.step_kind,
    orgOid: r.org_oid, orgName: org?.name ?? null, requester: req ? { name: req.name, username: req.username } : null, subject,
    submittedAt: formatTime(r.submitted_at, lang), effectiveDate: r.effective_date, executedAt: r.executed_at ? formatTime(r.executed_at, lang) : null,
    error: r.error ? t(r.error as MessageKey) : null, fields, steps,
  };
}

/** The printed form (REQ-5): Traditional Chinese, with the approvals filled in and a signature block for the requester and each step. */
export async function requestForm(deps: Deps, r: RequestRow): Promise<RequestForm> {
  const v = await describeRequest(deps, r, 'zh-TW');
  const t = translator('zh-TW');
  return {
    title: v.form ? `${v.form} ${v.title}` : v.title,
    number: v.number, submittedAt: v.submittedAt,
    requester: v.requester ? `${v.requester.name}（${v.requester.username}）` : v.subject ? `${v.subject.name}（${v.subject.username}）` : '—',
    organisation: v.orgName ? `${v.orgName}（${v.orgOid}）` : v.orgOid,
    fields: [...v.fields, { label: t('request.field.status'), value: v.statusLabel }],
    steps: v.steps.map((s) => ({ label: s.label, decidedBy: s.decidedBy, decision: s.decisionLabel, comment: s.comment, decidedAt: s.decidedAt })),
    signatures: [t('request.sign.requester'), ...v.steps.map((s) => t(`request.sign.${s.kind}` as MessageKey))],
  };
}
