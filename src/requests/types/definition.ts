// What one request type declares (REQ-1..6, ACC-4, AUTH-7): who decides its steps, what it checks
// when submitted, what runs on the final approval, how people read it, and the form it is asked
// with. Each type fills this in its own file under src/requests/types/; the engine, the decisions,
// the details page, the printed form and the form pages only ever read it through REQUEST_TYPES.
import type { Db } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Lang, MessageKey, Translate } from '../../platform/web/messages.ts';
import type { Actor, RequestStepKind } from '../../access/authorize.ts';
import type { RequestRow } from '../tables.ts';

/** A refused submission: a message key, and the form field it is about when there is one. */
export class RequestInputError extends Error {
  constructor(readonly messageKey: MessageKey, readonly field?: string) { super(messageKey); }
}

/** The approver may not (or can no longer) carry the request out; nothing is decided. */
export class ExecutionRefused extends Error {
  constructor(readonly messageKey: MessageKey) { super(messageKey); }
}

/** What is submitted, before the type's checks. `type` is a code of REQUEST_TYPES (a string here, so
 * that a type's file need not know the others). */
export interface SubmitInput {
  type: string; orgOid: string; requesterAccountId: number | null; subjectAccountId?: number | null;
  systems?: string[]; payload: Record<string, unknown>;
  /** REQ-6 離職或異動日 (YYYY-MM-DD, Taipei), for the types that allow one. */
  effectiveDate?: string | null;
}

/** What the engine stores, after the type's checks. */
export interface Checked { subjectAccountId: number | null; systems: string[]; payload: Record<string, unknown> }

export interface ExecContext<P = unknown> { deps: Deps; r: RequestRow; actor: Actor; now: Date; ip: string | null; prepared: P }

/**
 * What runs when the last step is approved, and what a rejection undoes. `run` is inside the
 * decision's transaction, so the decision and its effect commit together or not at all, and asks
 * `authorize` for the administrative action it performs on behalf of the deciding approver:
 * approving a request never does more than that approver could do by hand (ADM-7). A refusal
 * (ExecutionRefused) rolls the decision back.
 */
export interface Executor<P = unknown> {
  /** Outside the transaction: slow work (password hashing) and checks that read through deps.db. */
  before?(deps: Deps, r: RequestRow, actor: Actor): Promise<P>;
  run(trx: Db, x: ExecContext<P>): Promise<void>;
  /** When any step is rejected. */
  onReject?(trx: Db, x: ExecContext<undefined>): Promise<void>;
}

/** A labelled value of the request, as the details page and the printed form show it. */
export interface LabelledField { label: string; value: string }
export interface SubjectView { id: number; name: string; username: string; unitOid: string }

/** What describing a request may use: the row and its payload, the language, the subject shown. */
export interface DescribeContext {
  deps: Deps; r: RequestRow; q: Record<string, unknown>; t: Translate; lang: Lang; subject: SubjectView | null;
  /** A labelled field ('—' when empty). */
  f(key: MessageKey, value: string): LabelledField;
  /** The subject's username and name, when there is a subject to show. */
  who: LabelledField[];
}

export type FormErrors = Record<string, MessageKey>;

/** A signed-in user's form, read into a submission: `errors` collects what is wrong with the form itself. */
export interface FormContext {
  deps: Deps; me: { id: number; unit_oid: string }; form: Record<string, unknown>; errors: FormErrors;
  /** The type, the requester's unit, the requester as requester and subject. */
  base: Pick<SubmitInput, 'type' | 'orgOid' | 'requesterAccountId' | 'subjectAccountId'>;
  reason: string;
  /** The form's effective date when the type allows one, else null. */
  effectiveDate: string | null;
  /** Marks the reason missing when it is empty. */
  needReason(): void;
}

/** The fields of a form page (/requests/new/<type>), in order; the reason comes last on every page. */
export type PageField =
  | {
    kind: 'text'; name: string; label: MessageKey; hint?: MessageKey; type?: 'email' | 'tel'; inputMode?: 'numeric' | 'decimal';
    maxLength?: number; autocomplete?: string; required?: boolean;
    /** false: the field's error is left to the page's summary. */
    showError?: false;
    /** false: the submitted value is never shown again (a national ID). */
    echo?: false;
    /** The value and error are left out when the form's action is this one (the field is not about it). */
    unlessAction?: string;
  }
  | { kind: 'radios'; name: string; legend: MessageKey; options: { value: string; label: MessageKey }[] }
  | { kind: 'checkboxes'; name: string; legend: MessageKey; from: 'roles' | 'categories'; showError?: false }
  /** The requester's own registration-administrator grants, to pick one. */
  | { kind: 'grant'; name: string; label: MessageKey; none: MessageKey }
  | { kind: 'group'; legend: MessageKey; fields: PageField[] }
  | { kind: 'effectiveDate' };

export interface RequestTypeDefinition<P = any> {
  /** Who decides each step, in order; the last approval executes the request. */
  steps: readonly RequestStepKind[];
  /** REQ-6: may carry an effective date (離職或異動日) and then executes on that day. */
  effectiveDate: boolean;
  /** The paper form it replaces (seed 002), printed on the PDF. */
  paperForm?: string;
  /** Checks a submission (the payload it carries, whose it is, which systems it touches) inside the submitting transaction. */
  check(trx: Db, deps: Deps, input: SubmitInput): Promise<Checked>;
  execute: Executor<P>;
  /** The type's own fields, labelled, for the details page and the printed form (REQ-4, REQ-5). */
  describe(x: DescribeContext): Promise<LabelledField[]>;
  /** A signed-in user's form read into a submission; null when the form itself is wrong. Absent: not submitted by a form. */
  fromForm?(x: FormContext): Promise<SubmitInput | null>;
  /** Its own page /requests/new/<type>: the introduction and the fields. */
  page?: { intro: MessageKey; fields: PageField[] };
  /** Said once more when an approver confirms a rejection (駁回). */
  rejectWarning?: MessageKey;
}
