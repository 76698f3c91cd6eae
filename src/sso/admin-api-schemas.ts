// JSON schemas of the single-sign-on administration API (SSO-2, SSO-3): Fastify validates and
// serialises with them (a column not listed never leaves, e.g. the encrypted secret), and the
// OpenAPI entries (admin-openapi.ts) are built from the same objects.
import { AUTH_METHODS, GRANT_TYPES, MAX_URIS } from './admin-client-rules.ts';
import { CONSENT_STATUSES } from './admin-consents.ts';

const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const uri = { type: 'string', maxLength: 2000 } as const;

export const systemCodeParams = {
  type: 'object', required: ['code'],
  properties: { code: { type: 'string', pattern: '^[a-z0-9_]{1,40}$', description: 'Application system code, which is also the client_id' } },
} as const;

const jwks = {
  type: ['object', 'null'], required: ['keys'],
  properties: { keys: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'object', additionalProperties: true } } },
  description: 'private_key_jwt: the client\'s public keys; private members are refused',
} as const;

export const clientSettings = {
  type: 'object',
  required: ['authMethod', 'redirectUris', 'postLogoutRedirectUris', 'backchannelLogoutUri', 'initiateLoginUri', 'grantTypes',
    'certificateRequired', 'enabled', 'jwks', 'hasSecret', 'updatedAt'],
  properties: {
    authMethod: { type: 'string', enum: [...AUTH_METHODS] },
    redirectUris: { type: 'array', items: { type: 'string' } },
    postLogoutRedirectUris: { type: 'array', items: { type: 'string' } },
    backchannelLogoutUri: { type: ['string', 'null'] },
    initiateLoginUri: { type: ['string', 'null'], description: 'Where a portal tile sends the user (OIDC third-party-initiated login)' },
    grantTypes: { type: 'array', items: { type: 'string', enum: [...GRANT_TYPES] } },
    certificateRequired: { type: 'boolean', description: 'A password-only session is refused' },
    enabled: { type: 'boolean' },
    jwks: { type: ['object', 'null'], additionalProperties: true },
    hasSecret: { type: 'boolean', description: 'A client secret is set (never answered: it is shown once, when generated)' },
    updatedAt: nullableDateTime,
  },
} as const;

export const clientSystem = {
  type: 'object',
  required: ['code', 'nameZh', 'nameEn', 'category', 'configured', 'client'],
  properties: {
    code: { type: 'string', description: 'System code = client_id' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, category: { type: 'string' },
    configured: { type: 'boolean', description: 'False until first saved; `client` then shows the defaults' },
    client: clientSettings,
  },
} as const;

export const clientSystemList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: clientSystem } } } as const;

export const clientPatchBody = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    authMethod: { type: 'string', maxLength: 40 },
    redirectUris: { type: 'array', maxItems: MAX_URIS * 2, items: uri },
    postLogoutRedirectUris: { type: 'array', maxItems: MAX_URIS * 2, items: uri },
    backchannelLogoutUri: { type: ['string', 'null'], maxLength: 2000 },
    initiateLoginUri: { type: ['string', 'null'], maxLength: 2000 },
    grantTypes: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 40 } },
    certificateRequired: { type: 'boolean' },
    enabled: { type: 'boolean' },
    jwks,
  },
} as const;

export interface ClientPatchBody {
  authMethod?: string; redirectUris?: string[]; postLogoutRedirectUris?: string[]; backchannelLogoutUri?: string | null;
  initiateLoginUri?: string | null; grantTypes?: string[]; certificateRequired?: boolean; enabled?: boolean; jwks?: { keys: unknown[] } | null;
}

export const secretResult = {
  type: 'object', required: ['clientId', 'clientSecret'],
  properties: { clientId: { type: 'string' }, clientSecret: { type: 'string', description: 'Shown this once; stored only encrypted' } },
} as const;

export const consentQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...CONSENT_STATUSES], default: 'all' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
} as const;

export const consentReportBody = {
  type: 'object',
  required: ['system', 'status', 'page', 'pageSize', 'holders', 'consented', 'total', 'items'],
  properties: {
    system: { type: 'string' },
    status: { type: 'string', enum: [...CONSENT_STATUSES] },
    page: { type: 'integer' }, pageSize: { type: 'integer' },
    holders: { type: 'integer', description: 'Accounts inside the caller\'s jurisdiction holding a role in the system' },
    consented: { type: 'integer', description: 'How many of them have consented' },
    total: { type: 'integer', description: 'Rows matching `status`' },
    items: {
      type: 'array',
      items: {
        type: 'object', required: ['accountId', 'username', 'name', 'unitOid', 'consentedAt', 'claims'],
        properties: {
          accountId: { type: 'integer' }, username: { type: 'string' }, name: { type: 'string' }, unitOid: { type: 'string' },
          consentedAt: nullableDateTime, claims: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;
