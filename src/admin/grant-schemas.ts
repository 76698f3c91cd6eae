// The contract of the administration-grant API (ADM-1, ADM-2, ADM-7, issue 10), as TypeBox
// declarations: validated and serialised by Fastify, and published in the generated OpenAPI
// document, so the contract published is the one enforced.
import { Type, Text, Oid, Id, PageNo, Closed } from '../platform/http/contract.ts';
import { apiError, DateTime, fieldErrors, OneOf, OrNull } from './api-schemas.ts';
import { DELEGABLE_KINDS } from './grant-directory.ts';
import { GRANT_KINDS } from '../access/authorize.ts';

const CATEGORY = Text(40, { pattern: '^(\\*|[a-z0-9_]{1,40})$' });

export const grantListQuery = Type.Object({
  kind: Type.Optional(Type.Enum([...GRANT_KINDS], { description: 'Only grants of this kind' })),
  jurisdiction: Type.Optional(Oid({ description: 'Only grants whose jurisdiction lies at or under this OID' })),
  account: Type.Optional(Id({ description: 'Only grants held by this account' })),
  page: PageNo(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
}, { additionalProperties: false });

export const grant = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer({ description: 'The holder' }),
  username: Type.String(),
  name: Type.String(),
  kind: OneOf(GRANT_KINDS),
  jurisdictionOid: Type.String(),
  jurisdictionName: OrNull(Type.String({ description: 'The organisation registered at jurisdictionOid' })),
  categories: Type.Array(Type.String(), { description: 'Application-system categories; "*" is all' }),
  createdAt: DateTime(),
}, { description: 'Given' });

export const grantList = Type.Object({
  total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(grant),
}, { description: 'One page and the total' });

export const grantCreateBody = Closed({
  accountId: Id({ description: 'The holder: an account inside the caller\'s jurisdiction' }),
  kind: Type.Enum([...DELEGABLE_KINDS], { description: 'central authority: main_account, registration_admin (and the rest); registration_admin: helpdesk, unit_supervisor' }),
  jurisdictionOid: Oid({ description: 'A registered organisation inside the caller\'s jurisdiction; for main_account a school (tenant code) holding the holder\'s unit' }),
  categories: Type.Array(CATEGORY, { maxItems: 100, uniqueItems: true, default: [], description: 'Within the caller\'s own categories' }),
});

export const grantIdParams = Closed({ id: Id() });

/** What the grant operations answer besides their success. */
export const grantErrors = {
  400: apiError('Invalid input'),
  401: apiError('No valid token'),
  404: apiError('Not found, or outside what the caller may administer (the two look the same): the holder, the jurisdiction, a kind or categories beyond the caller\'s own grant'),
} as const;

export const grantCreateErrors = {
  ...grantErrors,
  422: fieldErrors('Refused; `errors` names each field (account, kind, jurisdiction, categories) and why, e.g. the holder already has it'),
} as const;

export const grantRevokeErrors = {
  ...grantErrors,
  403: apiError('The caller sees the grant but could not have given it'),
  409: apiError('The caller\'s own grant'),
} as const;
