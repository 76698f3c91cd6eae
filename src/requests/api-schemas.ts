// JSON schemas of /api/v1/requests (REQ-2..5): what the routes validate and the OpenAPI document publishes.
import { errorBody, fieldErrorBody } from '../admin/api-schemas.ts';
import { FORM_TYPES, REQUEST_TYPE_CODES } from './types/index.ts';

const str = (maxLength: number, description?: string) => ({ type: 'string', maxLength, ...(description ? { description } : {}) }) as const;
const strList = (description: string) => ({ type: 'array', maxItems: 100, items: { type: 'string', maxLength: 100 }, description }) as const;
const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });

export const requestIdParams = {
  type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 1e15 } },
} as const;

const status = { type: 'string', enum: ['pending', 'approved', 'completed', 'rejected', 'withdrawn', 'failed'], description: 'pending (審核中), approved (waiting for its effective date), completed (審核通過), rejected (駁回), withdrawn, failed' } as const;
const stepKind = { type: ['string', 'null'], enum: ['supervisor', 'administrator', 'central', null], description: 'Who decides the step waiting now; null once closed' } as const;

export const requestItem = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, number: { type: 'string' }, type: { type: 'string', enum: [...REQUEST_TYPE_CODES] }, status, stepNo: { type: 'integer' }, stepKind,
    orgOid: { type: 'string' }, orgName: { type: ['string', 'null'] }, requesterName: { type: ['string', 'null'] }, subjectName: { type: ['string', 'null'] },
    submittedAt: { type: 'string', format: 'date-time' }, effectiveDate: { type: ['string', 'null'], description: 'REQ-6, YYYY-MM-DD (Taipei)' },
  },
} as const;

export const requestList = { type: 'object', properties: { items: { type: 'array', items: requestItem } } } as const;

const labelled = { type: 'object', properties: { label: { type: 'string' }, value: { type: 'string' } } } as const;
export const requestDetail = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, number: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' }, form: { type: ['string', 'null'] },
    status, statusLabel: { type: 'string' }, stepNo: { type: 'integer' }, stepKind, orgOid: { type: 'string' }, orgName: { type: ['string', 'null'] },
    requester: { type: ['object', 'null'], properties: { name: { type: 'string' }, username: { type: 'string' } } },
    subject: { type: ['object', 'null'], properties: { id: { type: 'integer' }, name: { type: 'string' }, username: { type: 'string' }, unitOid: { type: 'string' } } },
    submittedAt: { type: 'string' }, effectiveDate: { type: ['string', 'null'] }, executedAt: { type: ['string', 'null'] }, error: { type: ['string', 'null'] },
    fields: { type: 'array', items: labelled, description: 'The request\'s content, labelled in the caller\'s language' },
    steps: {
      type: 'array', description: 'Every step of the type, decided or not (REQ-5)',
      items: {
        type: 'object',
        properties: {
          no: { type: 'integer' }, kind: { type: 'string' }, label: { type: 'string' }, decision: { type: ['string', 'null'], enum: ['approved', 'rejected', null] },
          decidedBy: { type: ['string', 'null'] }, comment: { type: ['string', 'null'] }, decidedAt: { type: ['string', 'null'] },
        },
      },
    },
    canDecide: { type: 'boolean', description: 'The caller may decide the step waiting now' },
    approvers: { type: ['integer', 'null'], description: 'How many accounts may decide the step waiting now' },
  },
} as const;

export const submitBody = {
  type: 'object', required: ['type'], additionalProperties: false,
  description: 'One of the forms: the fields each type reads are those of its page (/requests/new/{type}, /requests/permissions).',
  properties: {
    type: { type: 'string', enum: [...FORM_TYPES] },
    role: str(100, 'permission_add / permission_remove: the role code'),
    action: str(20, 'registration_admin: designate | change; user_change: add | change | delete'),
    jurisdictionOid: str(200, 'registration_admin'), categories: strList('registration_admin: application-system categories, or "*"'),
    grantId: nullable({ type: 'integer', minimum: 1, description: 'registration_admin change: the grant to replace' }),
    username: str(100, 'user_change change/delete: the account, in the caller\'s unit'),
    newUsername: str(100, 'user_change add'), unitOid: str(200, 'user_change add: the new account\'s unit; profile_change: the new unit'),
    name: str(100, 'user_change add; profile_change: the new name'), nationalId: str(20, 'user_change add; profile_change: the new national ID (stored sealed)'),
    birthMonth: str(2), birthDay: str(2), email: str(200), mobile: str(20), title: str(100), department: str(100),
    roles: strList('user_change add: roles of the new account'), addRoles: strList('user_change change'), removeRoles: strList('user_change change'),
    reason: str(500, 'Required by registration_admin, user_change, one_day_password and profile_change'),
    effectiveDate: str(10, 'REQ-6 離職或異動日, YYYY-MM-DD: permission_remove, registration_admin, user_change'),
  },
} as const;

export const submitted = { type: 'object', properties: { id: { type: 'integer' }, number: { type: 'string' } } } as const;

export const decisionBody = {
  type: 'object', required: ['decision'], additionalProperties: false,
  properties: {
    decision: { type: 'string', enum: ['approved', 'rejected'], description: '接受申請 / 駁回' },
    comment: { type: 'string', maxLength: 1000, description: '審查說明; required when rejecting' },
    step: { type: 'integer', minimum: 1, maximum: 100, description: 'The step the caller is deciding; another one gets 409 "already decided"' },
  },
} as const;

export const decided = { type: 'object', properties: { status } } as const;
export const withdrawn = { type: 'object', properties: { status: { type: 'string', enum: ['withdrawn'] } } } as const;

export const readErrors = { 400: errorBody, 401: errorBody, 404: errorBody } as const;
export const changeErrors = { ...readErrors, 403: errorBody, 409: errorBody, 422: fieldErrorBody } as const;
