// SSO-6: the SCIM discovery documents (RFC 7643 §5-§7, RFC 7644 §4): ServiceProviderConfig,
// ResourceTypes and Schemas, describing what this service actually supports — the attributes the
// filter compiler knows, PATCH, filter with maxResults, sort, ETags, no bulk, no password change.
// Pure: built from the base URL.
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, MAX_RESULTS, RESOURCE_TYPE, SCHEMA, SP_CONFIG, TESSERA_USER, LIST_RESPONSE } from './schemas.ts';

type Attr = Record<string, unknown>;
const a = (name: string, o: Partial<{ type: string; multi: boolean; required: boolean; caseExact: boolean; mutability: string; returned: string; uniqueness: string; subs: Attr[]; description: string }> = {}): Attr => ({
  name, type: o.type ?? 'string', multiValued: o.multi ?? false, description: o.description ?? name, required: o.required ?? false,
  caseExact: o.caseExact ?? false, mutability: o.mutability ?? 'readWrite', returned: o.returned ?? 'default', uniqueness: o.uniqueness ?? 'none',
  ...(o.subs ? { type: 'complex', subAttributes: o.subs } : {}),
});

const USER_ATTRS = [
  a('userName', { required: true, uniqueness: 'server', mutability: 'immutable', description: 'Sign-in name; case-insensitive; fixed once created' }),
  a('name', { subs: [a('formatted', { description: 'Full name' }), a('familyName', { returned: 'never', mutability: 'writeOnly' }), a('givenName', { returned: 'never', mutability: 'writeOnly' })] }),
  a('displayName', { description: 'Full name (the same as name.formatted)' }),
  a('title'),
  a('active', { type: 'boolean', description: 'false: the account is disabled' }),
  a('emails', { multi: true, subs: [a('value'), a('type', { mutability: 'readOnly' }), a('primary', { type: 'boolean', mutability: 'readOnly' })] }),
  a('phoneNumbers', { multi: true, subs: [a('value'), a('type', { description: 'work or mobile' })] }),
];
const ENTERPRISE_ATTRS = [a('department'), a('employeeNumber'), a('organization', { mutability: 'readOnly', description: 'The agency enclosing the unit' })];
const TESSERA_ATTRS = [
  a('organizationOid', { caseExact: true, mutability: 'readOnly', description: 'OID of the agency enclosing the unit' }),
  a('organizationName', { mutability: 'readOnly' }),
  a('unitOid', { caseExact: true, description: 'OID of the unit; a change moves the account inside the token\'s subtree' }),
  a('unitName', { mutability: 'readOnly' }),
  a('title', { mutability: 'readOnly', description: 'The same as the core title' }),
  a('officePhone', { mutability: 'readOnly', description: 'The same as the work phone number' }),
];
const GROUP_ATTRS = [
  a('displayName', { required: true, mutability: 'immutable', description: 'The role code, set when the group is created' }),
  a('members', { multi: true, subs: [a('value', { caseExact: true, mutability: 'immutable' }), a('display', { mutability: 'readOnly' }), a('$ref', { type: 'reference', mutability: 'readOnly' })] }),
];

const schema = (base: string, id: string, name: string, description: string, attributes: Attr[]) => ({
  schemas: [SCHEMA], id, name, description, attributes, meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
});

export const schemasDocs = (base: string) => [
  schema(base, CORE_USER, 'User', 'User Account', USER_ATTRS),
  schema(base, ENTERPRISE_USER, 'EnterpriseUser', 'Enterprise User', ENTERPRISE_ATTRS),
  schema(base, TESSERA_USER, 'TesseraUser', 'Tessera organisation and unit', TESSERA_ATTRS),
  schema(base, CORE_GROUP, 'Group', 'A role of the application system', GROUP_ATTRS),
];

export const resourceTypeDocs = (base: string) => [
  { schemas: [RESOURCE_TYPE], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: CORE_USER,
    schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }, { schema: TESSERA_USER, required: false }], meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` } },
  { schemas: [RESOURCE_TYPE], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Roles of the application system', schema: CORE_GROUP,
    schemaExtensions: [], meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` } },
];

export const serviceProviderConfig = (base: string) => ({
  schemas: [SP_CONFIG],
  documentationUri: `${base.replace(/\/scim\/v2$/, '')}/api/v1/openapi.json`,
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_RESULTS },
  changePassword: { supported: false },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token issued for the application system by an administrator', primary: true }],
  meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
});

export const listOf = (resources: unknown[], total = resources.length, startIndex = 1) =>
  ({ schemas: [LIST_RESPONSE], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources });
