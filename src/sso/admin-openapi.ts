// OpenAPI entries of the single-sign-on administration API (SSO-2, SSO-3), from the schemas the
// routes validate with; merged into the /api/v1 document by src/admin/openapi.ts.
import { errorBody, fieldErrorBody } from '../admin/api-schemas.ts';
import { apiErrors, json } from '../admin/openapi-parts.ts';
import { clientPatchBody, clientSaved, clientSystem, clientSystemList, consentQuery, consentReportBody, secretResult, systemCodeParams } from './admin-api-schemas.ts';

const ERRORS = apiErrors('Unknown system, or one whose category the caller\'s grants do not cover (the two look the same)');
const byCode = [{ name: 'code', in: 'path', required: true, schema: systemCodeParams.properties.code }];
const query = Object.entries(consentQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));

export const ssoAdminOpenApiPaths = {
  '/sso/clients': {
    get: { summary: 'The systems whose OpenID Connect client the caller may manage, with their settings (SSO-2)', responses: { 200: json(clientSystemList, 'The clients'), ...ERRORS } },
  },
  '/sso/clients/{code}': {
    get: { summary: 'One system\'s client settings (SSO-2)', parameters: byCode, responses: { 200: json(clientSystem, 'The client'), ...ERRORS } },
    patch: {
      summary: 'Change the client settings; fields left out keep their value; the first save creates the client (a secret-based one gets its secret in this answer, once). Switching to a method without a shared secret drops the stored secret',
      parameters: byCode, requestBody: { required: true, content: { 'application/json': { schema: clientPatchBody } } },
      responses: { 200: json(clientSaved, 'Saved'), ...ERRORS, 422: json(fieldErrorBody, 'Refused; `errors` names each field and why') },
    },
  },
  '/sso/clients/{code}/secret': {
    post: {
      summary: 'Generate a new client secret (the old one stops working at once); answered this once, stored only encrypted',
      parameters: byCode,
      responses: { 200: json(secretResult, 'The new secret'), ...ERRORS, 409: json(errorBody, 'The client is not saved yet, or its method uses no shared secret') },
    },
  },
  '/sso/clients/{code}/consents': {
    get: {
      summary: 'Consent status (SSO-3): accounts inside the caller\'s jurisdiction holding a role in the system, consented or not',
      parameters: [...byCode, ...query],
      responses: { 200: json(consentReportBody, 'One page and the counts'), ...ERRORS },
    },
  },
};
