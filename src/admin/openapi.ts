// The OpenAPI 3.1 document of /api/v1, assembled from the schemas the routes validate with
// (api-schemas.ts), so the contract published is the contract enforced.
import {
  accountDetail, accountIdParams, accountList, errorBody, searchAccountsQuery, systemList,
} from './api-schemas.ts';

type Schema = Record<string, unknown>;

/** Query or path parameters from an object schema, one per property. */
function parameters(schema: { properties: Record<string, Schema>; required?: readonly string[] }, where: 'query' | 'path') {
  return Object.entries(schema.properties).map(([name, s]) => {
    const { description, ...rest } = s as { description?: string };
    return { name, in: where, required: where === 'path' || Boolean(schema.required?.includes(name)), ...(description ? { description } : {}), schema: rest };
  });
}

const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
const ERRORS = {
  400: json({ $ref: '#/components/schemas/Error' }, 'Invalid input'),
  401: json({ $ref: '#/components/schemas/Error' }, 'No valid token: missing, unknown, expired, revoked, or the account is not enabled'),
  404: json({ $ref: '#/components/schemas/Error' }, 'Not found, or outside the caller\'s jurisdiction (the two look the same)'),
};

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
      schemas: { Error: errorBody, AccountList: accountList, Account: accountDetail, SystemList: systemList },
    },
    paths: {
      '/accounts': {
        get: {
          summary: 'Search accounts inside the caller\'s jurisdiction (ADM-4)',
          parameters: parameters(searchAccountsQuery, 'query'),
          responses: { 200: json({ $ref: '#/components/schemas/AccountList' }, 'One page of matches and the total'), ...ERRORS },
        },
      },
      '/accounts/{id}': {
        get: {
          summary: 'One account (ADM-4)',
          parameters: parameters(accountIdParams, 'path'),
          responses: { 200: json({ $ref: '#/components/schemas/Account' }, 'The account'), ...ERRORS },
        },
      },
      '/systems': {
        get: {
          summary: 'Application systems and their roles (SSO-1)',
          responses: { 200: json({ $ref: '#/components/schemas/SystemList' }, 'The registry'), 401: ERRORS[401] },
        },
      },
      '/orgs': orgLookup,
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
