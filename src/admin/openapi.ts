// The OpenAPI 3.1 document of /api/v1, assembled from the schemas the routes validate with
// (api-schemas.ts), so the contract published is the contract enforced.
import {
  accountCreateBody, accountCreated, accountImportBody, accountImportResult, accountDetail, accountIdParams, accountList, accountPatchBody, accountUpdated, deleteBody,
  deleteResult, resendResult, errorBody, fieldErrorBody, issuedResult, roleChoiceList, rolesBody, rolesResult, searchAccountsQuery, stateBody,
  stateResult, systemAdminList, systemCodeParams, systemItem, systemList, systemPatchBody, unlockResult, applyScopeBody, applyScopeResult,
} from './api-schemas.ts';
import { grantOpenApiPaths } from './grant-schemas.ts';
import { body, json, parameters, type Schema } from './openapi-parts.ts';

const ERRORS = {
  400: json({ $ref: '#/components/schemas/Error' }, 'Invalid input'),
  401: json({ $ref: '#/components/schemas/Error' }, 'No valid token: missing, unknown, expired, revoked, or the account is not enabled'),
  404: json({ $ref: '#/components/schemas/Error' }, 'Not found, or outside the caller\'s jurisdiction (the two look the same)'),
};
/** What a changing operation can answer besides its success. */
const WRITE_ERRORS = {
  ...ERRORS,
  403: json({ $ref: '#/components/schemas/Error' }, 'A role outside the categories of the caller\'s grant (ADM-7)'),
  409: json({ $ref: '#/components/schemas/Error' }, 'The account\'s state does not allow this (e.g. pending, disabled), or it is the caller\'s own account'),
  422: json({ $ref: '#/components/schemas/FieldErrors' }, 'Refused by the unit\'s rules; `errors` names each field and why'),
};
const byId = parameters(accountIdParams, 'path');

/** One account-changing operation: its summary, input, success and errors. */
const write = (summary: string, ok: Schema, input?: Schema, status = 200) => ({
  summary, parameters: byId, ...(input ? { requestBody: body(input) } : {}), responses: { [status]: json(ok, 'Done'), ...WRITE_ERRORS },
});

// The public organisation look-up belongs to the organisations module (ORG-2); described here so
// the document covers every /api/v1 route.
const orgLookup = {
  get: {
    summary: 'Public OID look-up by name fragment, agency code, tenant code or OID prefix (ORG-2)',
    security: [],
    parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } }],
    responses: {
      200: json({
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                oid: { type: 'string' }, name: { type: 'string' }, agencyCode: { type: ['string', 'null'] },
                tenantCode: { type: ['string', 'null'] }, kind: { type: 'string' }, parentOid: { type: ['string', 'null'] },
              },
            },
          },
        },
      }, 'Matching organisations'),
    },
  },
};

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera administration API',
      version: '1',
      description: 'Delegated administration (ADM) over a personal API token: `tessera token create --username U`. '
        + 'Every answer is limited to the jurisdiction of the token\'s account (its grants\' OID subtrees).',
    },
    servers: [{ url: `${baseUrl.replace(/\/$/, '')}/api/v1` }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Personal API token' } },
      schemas: { Error: errorBody, FieldErrors: fieldErrorBody, AccountList: accountList, Account: accountDetail, SystemList: systemList },
    },
    paths: {
      '/accounts': {
        get: {
          summary: 'Search accounts inside the caller\'s jurisdiction (ADM-4)',
          parameters: parameters(searchAccountsQuery, 'query'),
          responses: { 200: json({ $ref: '#/components/schemas/AccountList' }, 'One page of matches and the total'), ...ERRORS },
        },
        post: {
          summary: 'Add an account in a unit of the caller\'s jurisdiction (ADM-3); state not_activated, activated by the unit\'s initial-password scheme (AUTH-4)',
          requestBody: body(accountCreateBody),
          responses: { 201: json(accountCreated, 'Created'), ...WRITE_ERRORS },
        },
      },
      '/accounts/import': {
        post: {
          summary: 'Import accounts from CSV (issue 3): each row by the rules of adding an account, in units of the caller\'s jurisdiction; all or nothing, refusals by line; dryRun writes nothing',
          requestBody: body(accountImportBody),
          responses: {
            200: json(accountImportResult, 'Dry run: what would be created'), 201: json(accountImportResult, 'Imported'),
            422: json(accountImportResult, 'Refused rows (by line); nothing written'), ...ERRORS,
          },
        },
      },
      '/accounts/export.csv': {
        get: {
          summary: 'The accounts inside the caller\'s jurisdiction as CSV (UTF-8 with BOM), national ID masked, no secrets',
          responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...ERRORS },
        },
      },
      '/accounts/{id}': {
        get: {
          summary: 'One account (ADM-4)',
          parameters: byId,
          responses: { 200: json({ $ref: '#/components/schemas/Account' }, 'The account'), ...ERRORS },
        },
        patch: write('Modify an account (ADM-5): profile, name, national ID, unit (a move needs both units in the jurisdiction)', accountUpdated, accountPatchBody),
      },
      '/accounts/{id}/state': { post: write('Enable or disable an account (ADM-5)', stateResult, stateBody) },
      '/accounts/{id}/unlock': { post: write('Clear the lock-out (AUTH-2)', unlockResult) },
      '/accounts/{id}/reset-password': { post: write('Back to the initial password, valid until midnight Asia/Taipei (還原密碼, ADM-5)', issuedResult) },
      '/accounts/{id}/one-day-password': { post: write('Enable a one-day password until midnight Asia/Taipei (AUTH-7)', issuedResult) },
      '/accounts/{id}/resend-mail': { post: write('補寄驗證信: a new set-password link to an account waiting for activation; older links void (ACC-7, ADM-1)', resendResult) },
      '/accounts/delete': {
        post: {
          summary: 'Delete accounts, irreversibly and all or nothing: personal data erased, audit trail kept (ADM-5, ACC-3)',
          requestBody: body(deleteBody),
          responses: { 200: json(deleteResult, 'Deleted'), ...WRITE_ERRORS },
        },
      },
      '/accounts/{id}/roles': {
        get: {
          summary: 'Roles the caller may give this account, and the others it holds (ADM-5, ADM-7)',
          parameters: byId,
          responses: { 200: json(roleChoiceList, 'Role choices'), ...ERRORS },
        },
        put: write('Set the account\'s roles among the grantable ones (角色設定)', rolesResult, rolesBody),
      },
      '/systems/{code}/admins': {
        get: {
          summary: 'Administrators of a system per agency, inside the caller\'s jurisdiction (ADM-6)',
          parameters: parameters(systemCodeParams, 'path'),
          responses: { 200: json(systemAdminList, 'The administrators'), ...ERRORS },
        },
      },
      '/systems/{code}/apply-scope': {
        put: {
          summary: 'Set which subtrees may apply for the system\'s roles; central authority only (REQ-1, SSO-1)',
          parameters: parameters(systemCodeParams, 'path'),
          requestBody: body(applyScopeBody),
          responses: { 200: json(applyScopeResult, 'The subtrees now set'), ...ERRORS },
        },
      },
      '/systems': {
        get: {
          summary: 'Application systems, their owning organisations and roles (SSO-1)',
          responses: { 200: json({ $ref: '#/components/schemas/SystemList' }, 'The registry'), 401: ERRORS[401] },
        },
      },
      // Administration grants (ADM-1, ADM-2, ADM-7).
      ...grantOpenApiPaths,
      '/systems/{code}': {
        patch: {
          summary: 'Set a system\'s owning organisation (central authority only; SSO-1)',
          parameters: parameters(systemCodeParams, 'path'),
          requestBody: body(systemPatchBody),
          responses: {
            200: json(systemItem, 'The system as now registered'), ...ERRORS,
            422: json({ $ref: '#/components/schemas/FieldErrors' }, 'Not a valid OID, or neither a registered organisation nor the national root'),
          },
        },
      },
      '/orgs': orgLookup,
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
