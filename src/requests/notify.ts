// Mail to the requester (or, for an application, the applicant) at each decision and at a
// scheduled execution, in the requester's language, through the outbox in the same transaction.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { enqueueMail } from '../mail-templates.ts';
import { translator, type Lang, type MessageKey } from '../messages.ts';
import { formatTime } from '../platform/web/format.ts';
import type { RequestRow } from './tables.ts';
import { requestNumber } from './format.ts';
import { accountContact } from './account-store.ts';

const langOf = (r: RequestRow): Lang => (r.lang === 'en' ? 'en' : 'zh-TW');

/** Who hears about the request: the requester, or the applicant's own (pending) account. */
async function recipient(trx: Db, r: RequestRow) {
  const id = r.requester_account_id ?? r.subject_account_id;
  if (id === null) return null;
  const a = await accountContact(trx, id);
  return a?.email ? a : null;
}

/** Where the recipient reads the request: the requester's page, or the login page for an applicant. */
const urlFor = (deps: Deps, r: RequestRow) => `${deps.config.baseUrl.replace(/\/$/, '')}${r.requester_account_id === null ? '/login' : `/requests/${r.id}`}`;

/** The status line of a mail and a page: what happens next. */
export function outcomeText(lang: Lang, status: string, next: { step: string | null; date: string | null; error: string | null }): string {
  const t = translator(lang);
  if (status === 'pending') return t('request.outcome.next', { step: next.step ? t(`request.step.${next.step}` as MessageKey) : '' });
  if (status === 'approved') return t('request.outcome.approved', { date: next.date ?? '' });
  if (status === 'failed') return t('request.outcome.failed', { error: next.error ? t(next.error as MessageKey) : '' });
  return t(`request.outcome.${status}` as MessageKey);
}

export async function mailDecision(trx: Db, deps: Deps, r: RequestRow, d: { stepKind: string; decision: string; decider: string; comment: string; now: Date; status: string; nextStep: string | null }) {
  const to = await recipient(trx, r);
  if (!to) return;
  const lang = langOf(r);
  const t = translator(lang);
  await enqueueMail(trx, d.now, {
    to: to.email!, template: 'request.decided', lang,
    vars: {
      name: to.name, number: requestNumber(r.id), title: t(`request.type.${r.type}` as MessageKey), step: t(`request.step.${d.stepKind}` as MessageKey),
      decision: t(`request.decision.${d.decision}` as MessageKey), decider: d.decider, comment: d.comment, at: formatTime(d.now, lang),
      outcome: outcomeText(lang, d.status, { step: d.nextStep, date: r.effective_date, error: null }), url: urlFor(deps, r),
    },
  });
}

export async function mailExecution(trx: Db, deps: Deps, r: RequestRow, now: Date, status: 'completed' | 'failed', error: string | null) {
  const to = await recipient(trx, r);
  if (!to) return;
  const lang = langOf(r);
  const t = translator(lang);
  await enqueueMail(trx, now, {
    to: to.email!, template: 'request.executed', lang,
    vars: { name: to.name, number: requestNumber(r.id), title: t(`request.type.${r.type}` as MessageKey), outcome: outcomeText(lang, status, { step: null, date: r.effective_date, error }), url: urlFor(deps, r) },
  });
}
