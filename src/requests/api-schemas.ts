// Contracts of /api/v1/requests (REQ-2..5, OPS-4, issue 10): TypeBox schemas Fastify validates and
// serialises with, and @fastify/swagger publishes in /api/v1/openapi.json. The request form's fields
// are declared once here, for the JSON body and for the pages' form alike.
import { Type, Text, Id, Closed, ErrorBody, FieldErrors, type Static, type TSchema, OrNull } from '../platform/http/contract.ts';
import { FORM_TYPES, REQUEST_TYPE_CODES } from './types/index.ts';

/** `type: [T, 'null']`: a value or null, without an anyOf whose first branch Ajv's coercion would rewrite. */
const errorAs = (description: string) => Type.Object(ErrorBody.properties, { description });
const text = (max: number, description?: string) => Type.Optional(Text(max, description ? { description } : {}));
const textList = (description: string) => Type.Optional(Type.Array(Text(100), { maxItems: 100, description }));

/** Errors of every route here. */
export const READ_ERRORS = {
  400: errorAs('Invalid input'),
  401: errorAs('No valid token'),
  404: errorAs('Not found, or a request the caller may neither see nor decide (the two look the same)'),
} as const;

export const requestIdParams = Closed({ id: Id() });

const status = Type.String({
  enum: ['pending', 'approved', 'completed', 'rejected', 'withdrawn', 'failed'],
  description: 'pending (審核中), approved (waiting for its effective date), completed (審核通過), rejected (駁回), withdrawn, failed',
});
const stepKind = Type.Unsafe<string | null>({
  type: ['string', 'null'], enum: ['supervisor', 'administrator', 'central', null], description: 'Who decides the step waiting now; null once closed',
});

export const requestItem = Type.Partial(Type.Object({
  id: Type.Integer(), number: Type.String(), type: Type.String({ enum: [...REQUEST_TYPE_CODES] }), status, stepNo: Type.Integer(), stepKind,
  orgOid: Type.String(), orgName: OrNull(Type.String()), requesterName: OrNull(Type.String()), subjectName: OrNull(Type.String()),
  submittedAt: Type.String({ format: 'date-time' }), effectiveDate: OrNull(Type.String(), { description: 'REQ-6, YYYY-MM-DD (Taipei)' }),
}));

export const requestList = Type.Partial(Type.Object({ items: Type.Array(requestItem) }), { description: 'The requests' });

const labelled = Type.Partial(Type.Object({ label: Type.String(), value: Type.String() }));
export const requestDetail = Type.Partial(Type.Object({
  id: Type.Integer(), number: Type.String(), type: Type.String(), title: Type.String(), form: OrNull(Type.String()),
  status, statusLabel: Type.String(), stepNo: Type.Integer(), stepKind, orgOid: Type.String(), orgName: OrNull(Type.String()),
  requester: OrNull(Type.Partial(Type.Object({ name: Type.String(), username: Type.String() }))),
  subject: OrNull(Type.Partial(Type.Object({ id: Type.Integer(), name: Type.String(), username: Type.String(), unitOid: Type.String() }))),
  submittedAt: Type.String(), effectiveDate: OrNull(Type.String()), executedAt: OrNull(Type.String()), error: OrNull(Type.String()),
  fields: Type.Array(labelled, { description: 'The request\'s content, labelled in the caller\'s language' }),
  steps: Type.Array(Type.Partial(Type.Object({
    no: Type.Integer(), kind: Type.String(), label: Type.String(),
    decision: Type.Unsafe<string | null>({ type: ['string', 'null'], enum: ['approved', 'rejected', null] }),
    decidedBy: OrNull(Type.String()), comment: OrNull(Type.String()), decidedAt: OrNull(Type.String()),
  })), { description: 'Every step of the type, decided or not (REQ-5)' }),
  canDecide: Type.Boolean({ description: 'The caller may decide the step waiting now' }),
  approvers: OrNull(Type.Integer(), { description: 'How many accounts may decide the step waiting now' }),
}), { description: 'The request' });

/** The fields of the request forms, by the names the pages use too (/requests/new/{type}, /requests/permissions). */
export const requestFormFields = {
  role: text(100, 'permission_add / permission_remove: the role code'),
  action: text(20, 'registration_admin: designate | change; user_change: add | change | delete'),
  jurisdictionOid: text(200, 'registration_admin'), categories: textList('registration_admin: application-system categories, or "*"'),
  username: text(100, 'user_change change/delete, account_reenable: the account, in the caller\'s unit'),
  newUsername: text(100, 'user_change add'), unitOid: text(200, 'user_change add: the new account\'s unit; profile_change: the new unit'),
  name: text(100, 'user_change add; profile_change: the new name'), nationalId: text(20, 'user_change add; profile_change: the new national ID (stored sealed)'),
  birthMonth: text(2), birthDay: text(2), email: text(200), mobile: text(20), title: text(100), department: text(100),
  roles: textList('user_change add: roles of the new account'), addRoles: textList('user_change change'), removeRoles: textList('user_change change'),
  reason: text(500, 'Required by registration_admin, user_change, one_day_password and profile_change'),
  effectiveDate: text(10, 'REQ-6 離職或異動日, YYYY-MM-DD: permission_remove, registration_admin, user_change'),
};

export const submitBody = Closed({
  type: Type.Enum([...FORM_TYPES]),
  ...requestFormFields,
  grantId: Type.Optional(OrNull(Id(), { description: 'registration_admin change: the grant to replace' })),
}, { description: 'One of the forms: the fields each type reads are those of its page (/requests/new/{type}, /requests/permissions).' });

export const submitted = Type.Partial(Type.Object({ id: Type.Integer(), number: Type.String() }), { description: 'Submitted; pending its first step' });
export const submitRefused = Type.Object(FieldErrors.properties, {
  description: 'Refused; `errors` names each field and why (e.g. the same request already pending)',
});

export const decisionBody = Closed({
  decision: Type.Enum(['approved', 'rejected'], { description: '接受申請 / 駁回' }),
  comment: Type.Optional(Text(1000, { description: '審查說明; required when rejecting' })),
  step: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'The step the caller is deciding; another one gets 409 "already decided"' })),
});

export const decided = Type.Partial(Type.Object({ status }), { description: 'Decided; the request\'s status now' });
export const DECISION_ERRORS = {
  ...READ_ERRORS,
  403: errorAs('The caller may see the request but not decide this step (e.g. its own request, or another approver\'s step)'),
  409: errorAs('Already decided by another approver or withdrawn (request.alreadyDecided), or the approval cannot be carried out (request.exec.*): nothing changed'),
  422: errorAs('A rejection without a comment, or a comment over 1000 characters'),
} as const;

export const withdrawn = Type.Partial(Type.Object({ status: Type.Enum(['withdrawn']) }), { description: 'Withdrawn' });
export const withdrawConflict = errorAs('No longer pending');
