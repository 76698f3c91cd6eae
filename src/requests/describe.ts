// A request as people read it (審查詳細資訊, REQ-4; history, REQ-5): its fields and every step,
// decided or not, in one language. The details page and the printed form (always Traditional
// Chinese) are both made from this; each type describes its own fields (types/<type>.ts).
import type { Deps } from '../platform/deps.ts';
import { translator, type Lang, type MessageKey, type Translate } from '../messages.ts';
import { formatTime } from '../platform/web/format.ts';
import type { RequestForm } from './pdf.ts';
import type { RequestRow } from './tables.ts';
import type { LabelledField, SubjectView } from './types/definition.ts';
import { REQUEST_TYPES, isRequestType } from './types/index.ts';
import { requestNumber } from './format.ts';
import { orgName } from '../orgs/store.ts';
import { accountsShown } from './account-store.ts';
import { decisionsOf } from './decision-store.ts';

export interface StepView { no: number; kind: string; label: string; decision: string | null; decisionLabel: string | null; decidedBy: string | null; comment: string | null; decidedAt: string | null }

export interface RequestView {
  id: number; number: string; type: string; title: string; form: string | null; status: string; statusLabel: string;
  stepNo: number; stepKind: string | null; orgOid: string; orgName: string | null;
  requester: { name: string; username: string } | null; subject: SubjectView | null;
  submittedAt: string; effectiveDate: string | null; executedAt: string | null; error: string | null;
  fields: LabelledField[]; steps: StepView[];
}

export async function describeRequest(deps: Deps, r: RequestRow, lang: Lang): Promise<RequestView> {
  const t = translator(lang);
  const type = isRequestType(r.type) ? r.type : null;
  const ids = [r.requester_account_id, r.subject_account_id].filter((x): x is number => x !== null);
  const [people, org, decisions] = await Promise.all([
    ids.length ? accountsShown(deps.db, ids) : Promise.resolve([]),
    orgName(deps.db, r.org_oid),
    decisionsOf(deps.db, r.id),
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
  const f = (key: MessageKey, value: string) => ({ label: t(key), value: value || '—' });
  const who = subject ? [f('request.field.username', subject.username), f('request.field.name', subject.name)] : [];
  const fields = type ? await REQUEST_TYPES[type].describe({ deps, r, q: r.payload as Record<string, unknown>, t, lang, subject, f, who }) : [];
  if (r.effective_date) fields.push({ label: t('request.field.effectiveDate'), value: r.effective_date });
  return {
    id: r.id, number: requestNumber(r.id), type: r.type, title: t(`request.type.${r.type}` as MessageKey), form: type ? REQUEST_TYPES[type].paperForm ?? null : null,
    status: r.status, statusLabel: t(`request.status.${r.status}` as MessageKey), stepNo: r.step_no, stepKind: r.step_kind,
    orgOid: r.org_oid, orgName: org ?? null, requester: req ? { name: req.name, username: req.username } : null, subject,
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
