// The request engine (REQ-1..6): submit a request of a declared type, count who may decide it.
// Deciding, withdrawing and executing are in decisions.ts; each type's steps and checks in types/.
// Everything here runs inside the caller's transaction, with its audit event.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import type { Deps } from '../platform/deps.ts';
import type { Lang } from '../platform/web/messages.ts';
import { audit } from '../platform/audit.ts';
import { isValidOid } from '../orgs/oid.ts';
import { orgExists } from '../orgs/store.ts';
import { categoriesOf, countApproversOf, stepTarget } from './approvers-sql.ts';
import { RequestInputError, type SubmitInput } from './types/definition.ts';
import { REQUEST_TYPES, firstStep, isRequestType, type RequestTypeCode } from './types/index.ts';
import { isCalendarDate, taipeiDate } from './format.ts';
import { insertRequest } from './request-store.ts';

export type { RequestTypeCode } from './types/index.ts';
export { RequestInputError } from './types/definition.ts';

export interface SubmitRequestInput extends Omit<SubmitInput, 'type'> {
  type: RequestTypeCode;
  /** The language of the mail sent to the requester at each decision (default zh-TW). */
  lang?: Lang;
  ip?: string | null;
}

/**
 * Submits a request inside the caller's transaction (`trx`): the type's checks, the row, the audit
 * event. Throws RequestInputError (a message key and field) when the input is refused; the caller's
 * transaction should then roll back. requesterAccountId null = an applicant without an enabled
 * account (account_application).
 */
export async function submitRequest(trx: Kysely<Database>, deps: Deps, input: SubmitRequestInput): Promise<{ id: number }> {
  if (!isRequestType(input.type)) throw new RequestInputError('request.error.badInput', 'type');
  if (!isValidOid(input.orgOid) || !await orgExists(trx, input.orgOid)) {
    throw new RequestInputError('request.error.unit', 'orgOid');
  }
  const decl = REQUEST_TYPES[input.type];
  const now = deps.clock.now();
  const effectiveDate = input.effectiveDate?.trim() || null;
  if (effectiveDate && (!decl.effectiveDate || !isCalendarDate(effectiveDate) || effectiveDate < taipeiDate(now))) {
    throw new RequestInputError('request.error.effectiveDate', 'effectiveDate');
  }
  const checked = await decl.check(trx, deps, input);
  const categories = await categoriesOf(trx, checked.systems);
  if (categories === null) throw new RequestInputError('request.error.unknownSystem', 'systems');
  const id = await insertRequest(trx, {
    type: input.type, orgOid: input.orgOid, requesterAccountId: input.requesterAccountId, subjectAccountId: checked.subjectAccountId,
    systems: checked.systems, categories, payload: checked.payload, stepKind: firstStep(input.type), effectiveDate, lang: input.lang ?? 'zh-TW', now,
  });
  await audit(trx, now, {
    actor: input.requesterAccountId, action: 'request.submit', targetType: 'request', targetId: id, orgOid: input.orgOid, ip: input.ip ?? null,
    details: { type: input.type, subjectAccountId: checked.subjectAccountId, systems: checked.systems, effectiveDate },
  });
  return { id };
}

/**
 * How many accounts could decide the first step of such a request today (seed 000's "目前可審核的
 * 管理者有 N 位", ADM-6): the same SQL as the review queues. `exclude` leaves out the requester
 * and subject, who never decide their own request. 0 when a system is not registered.
 */
export async function countApprovers(db: Kysely<Database>, input: {
  type: RequestTypeCode; orgOid: string; systems?: string[]; exclude?: (number | null | undefined)[];
  /** false: only approvers through a grant other than the central authority's (the agency's own). */
  central?: boolean;
}): Promise<number> {
  if (!isRequestType(input.type) || !isValidOid(input.orgOid)) return 0;
  const categories = await categoriesOf(db, input.systems ?? []);
  if (categories === null) return 0;
  return countApproversOf(db, stepTarget(input.orgOid, firstStep(input.type), categories), input.exclude ?? [], input.central ?? true);
}
