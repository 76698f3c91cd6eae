// JSON schemas of the administration API: Fastify validates input and serialises output with
// them, and the OpenAPI document (openapi.ts) is assembled from the same objects, so the two
// cannot drift. Response schemas also keep any column not listed out of the answer.

export const OID_PATTERN = '^(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+$';

const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Message key, stable for programs' },
    message: { type: 'string', description: 'The message in the caller\'s language (Accept-Language)' },
    fields: { type: 'array', items: { type: 'string' }, description: 'Invalid inputs, as location.name' },
  },
} as const;

export const searchAccountsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unit: { type: 'string', maxLength: 200, pattern: OID_PATTERN, description: 'Unit OID: accounts in this unit and below it' },
    q: { type: 'string', minLength: 1, maxLength: 50, description: 'Name keyword (part of the name)' },
    nationalId: { type: 'string', pattern: '^[A-Za-z][A-Da-d0-9][0-9]{8}$', description: 'National ID or resident certificate number, exact' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export interface SearchAccountsQuery { unit?: string; q?: string; nationalId?: string; page: number; pageSize: number }

export const accountSummary = {
  type: 'object',
  required: ['id', 'username', 'name', 'unitOid', 'state', 'activatedAt', 'lastLoginAt', 'nationalIdMasked'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    name: { type: 'string' },
    unitOid: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'not_activated', 'enabled', 'disabled'] },
    activatedAt: nullableDateTime,
    lastLoginAt: { ...nullableDateTime, description: 'Latest password or certificate login' },
    nationalIdMasked: { type: ['string', 'null'], description: 'Masked, e.g. A12****789' },
  },
} as const;

export const accountList = {
  type: 'object',
  required: ['total', 'page', 'pageSize', 'items'],
  properties: {
    total: { type: 'integer', description: 'Matching accounts inside the caller\'s jurisdiction' },
    page: { type: 'integer' },
    pageSize: { type: 'integer' },
    items: { type: 'array', items: accountSummary },
  },
} as const;

export const accountIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const accountDetail = {
  type: 'object',
  required: [...accountSummary.required, 'unitName', 'lastPasswordLoginAt', 'lastCertificateLoginAt', 'roles'],
  properties: {
    ...accountSummary.properties,
    unitName: nullableString,
    lastPasswordLoginAt: nullableDateTime,
    lastCertificateLoginAt: nullableDateTime,
    birthMonth: { type: ['integer', 'null'] },
    birthDay: { type: ['integer', 'null'] },
    email: nullableString, mobile: nullableString, title: nullableString, department: nullableString,
    officePhone: nullableString, officeExt: nullableString, staffCode: nullableString,
    roles: { type: 'array', items: { type: 'string' }, description: 'Role codes held' },
  },
} as const;

export const systemList = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'nameZh', 'nameEn', 'category', 'flags', 'roles'],
        properties: {
          code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' },
          category: { type: 'string', description: '系統類別: what an administration grant\'s categories name' },
          flags: { type: 'object', properties: { certificateRequired: { type: 'boolean' } }, additionalProperties: true },
          roles: {
            type: 'array',
            items: {
              type: 'object', required: ['code', 'nameZh', 'nameEn'],
              properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

/** Answers every authenticated route can give besides its success. */
export const authErrors = { 400: errorBody, 401: errorBody, 404: errorBody } as const;
