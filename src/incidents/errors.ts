// INC-2, INC-3: the workflow's one refusal type: a status, a message key and, for a form, the fields.
import { HttpError } from '../platform/http/errors.ts';
import type { MessageKey } from '../platform/web/messages.ts';
import type { ReportField, ReportProblem } from './rules.ts';
import type { ClosureItem, InvestigationItem } from './reports.ts';

export type ProblemField = ReportField | 'reason' | 'lateReason' | 'username' | 'authority' | 'decision' | 'note' | 'meetingAt' | 'meetingNotes' | ClosureItem | InvestigationItem;

export class IncidentError extends HttpError {
  constructor(status: number, key: MessageKey, readonly fields: Partial<Record<ProblemField, ReportProblem>> = {}) { super(status, key); }
}
