// JSON schemas of the administration-grant API (ADM-1, ADM-2, ADM-7) and its OpenAPI entries, built
// from the same objects, so the contract published is the one enforced; merged into the /api/v1
// document by openapi.ts.
import { errorBody, fieldErrorBody, OID_PATTERN } from './api-schemas.ts';
import { apiErrors, body, json, parameters } from './openapi-parts.ts';
import { DELEGABLE_KINDS } from './grant-directory.ts';
import { GRANT_KINDS } from '../access/authorize.ts';

const CATEGORY = { type: 'string', pattern: '^(\\*|[a-z0-9_]{1,40})$' } as const;

export const grantListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: [...GRANT_KINDS], description: 'Only grants of this kind' },
    jurisdiction: { type: 'string', maxLength: 200, pattern: OID_PATTERN, description: 'Only grants whose jurisdiction lies at or under this OID' },
    account: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only grants held by this account' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;
export interface GrantListQuery { kind?: string; jurisdiction?: string; account?: number; page: number; pageSize: number }

export const grant = {
  type: 'object',
  required: ['id', 'accountId', 'username', 'name', 'kind', 'jurisdictionOid', 'jurisdictionName', 'categories', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    accountId: { type: 'integer', description: 'The holder' },
    username: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...GRANT_KINDS] },
    jurisdictionOid: { type: 'string' },
    jurisdictionName: { type: ['string', 'null'], description: 'The organisation registered at jurisdictionOid' },
    categories: { type: 'array', items: { type: 'string' }, description: 'Application-system categories; "*" is all' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const grantList = {
  type: 'object',
  required: ['total', 'page', 'pageSize', 'items'],
  properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: grant } },
} as const;

export const grantCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accountId', 'kind', 'jurisdictionOid'],
  properties: {
    accountId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The holder: an account inside the caller\'s jurisdiction' },
    kind: { type: 'string', enum: [...DELEGABLE_KINDS], description: 'central authority: main_account, registration_admin (and the rest); registration_admin: helpdesk, unit_supervisor' },
    jurisdictionOid: { type: 'string', maxLength: 200, pattern: OID_PATTERN, description: 'A registered organisation inside the caller\'s jurisdiction; for main_account a school (tenant code) holding the holder\'s unit' },
    categories: { type: 'array', maxItems: 100, uniqueItems: true, items: CATEGORY, default: [], description: 'Within the caller\'s own categories' },
  },
} as const;
export interface GrantCreateBody { accountId: number; kind: string; jurisdictionOid: string; categories: string[] }

export const grantIdParams = {
  type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

export const grantWriteErrors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 422: fieldErrorBody } as const;

const ERRORS = apiErrors('Not found, or outside what the caller may administer (the two look the same): the holder, the jurisdiction, a kind or categories beyond the caller\'s own grant');

export const grantOpenApiPaths = {
  '/grants': {
    get: {
      summary: 'Administration grants whose jurisdiction lies inside the caller\'s (ADM-1, ADM-2); 404 for a caller who may give none',
      parameters: parameters(grantListQuery, 'query'),
      responses: { 200: json(grantList, 'One page and the total'), ...ERRORS },
    },
    post: {
      summary: 'Give an administration grant (ADM-7): never beyond the caller\'s own kind, jurisdiction or categories; audited; the holder is mailed',
      requestBody: body(grantCreateBody),
      responses: {
        201: json(grant, 'Given'), ...ERRORS,
        422: json(fieldErrorBody, 'Refused; `errors` names each field (account, kind, jurisdiction, categories) and why, e.g. the holder already has it'),
      },
    },
  },
  '/grants/{id}': {
    delete: {
      summary: 'Revoke an administration grant, judged as its giving would be; audited; the holder is mailed',
      parameters: parameters(grantIdParams, 'path'),
      responses: {
        204: { description: 'Revoked' }, ...ERRORS,
        403: json(errorBody, 'The caller sees the grant but could not have given it'),
        409: json(errorBody, 'The caller\'s own grant'),
      },
    },
  },
};
