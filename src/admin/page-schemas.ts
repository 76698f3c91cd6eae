// What the administrator pages read (ADM-1..7, SSO-1, issue 3, issue 10): their paths, query
// strings and forms, declared once for Fastify to validate, so no handler parses input by hand.
// Form fields are bounded by the length a handler used to cut them to; what a value must be
// (required, an OID, a national ID) stays the service's rule, answered beside the field.
import { Type, Field, FieldList, FormBody, Query, Id, PageNo, PAGE, FORM_PAGE, Html } from '../platform/http/contract.ts';
import { ACCOUNT_FIELDS, type AccountField } from './accounts.ts';
import { accountIdParams, systemCodeParams } from './api-schemas.ts';

/** An account, a grant: a row id in the path, as in the API. */
export const IdParams = accountIdParams;
/** An application system by its code, as in the API. */
export const SystemCodeParams = systemCodeParams;

/** A count carried back by a redirect (`?n=3`). */
const Count = () => Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 }));

// ---- Accounts (ADM-3, ADM-4, ADM-5, AUTH-7) ----

export const AccountSearchQuery = Query({
  unit: Field(200), q: Field(50), nationalId: Field(20), page: PageNo(),
  done: Field(40), n: Count(), error: Field(40),
});

export const NewAccountQuery = Query({ unit: Field(200), q: Field(100) });

/** The add and edit forms: every profile field, as typed. */
export const AccountForm = FormBody(Object.fromEntries(ACCOUNT_FIELDS.map((f) => [f, Field(200)])) as Record<AccountField, ReturnType<typeof Field>>);

export const ImportQuery = Query({ created: Count() });
export const ImportForm = FormBody({ csv: Field(2_000_000), dryRun: Field(10) });

export const UsernameCheckQuery = Query({ username: Field(100), unit: Field(200) });
export const UsernameCheckAnswer = Type.Object({
  available: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: nothing typed yet' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the name cannot be used (a message key or text)' }),
  message: Type.String({ description: 'What to show beside the field' }),
}, { description: 'Whether the username can be used in the unit (ACC-2)' });

/** Check-boxes of the search page, then the confirmation (`confirm=1`). */
export const DeleteForm = FormBody({ ids: Type.Optional(Type.Array(Id(), { maxItems: 500 })), confirm: Field(10) });

export const AccountQuery = Query({ done: Field(40), a: Count(), r: Count() });
export const StateForm = FormBody({ state: Field(20) });
/** The one-button actions: nothing but the CSRF token. */
export const ButtonForm = FormBody({});
export const RolesForm = FormBody({ roles: FieldList(200, 100) });

export const Csv = { ...PAGE, 200: Type.String({ description: 'CSV (text/csv, UTF-8 with BOM)' }) } as const;

// ---- Administration grants (ADM-1, ADM-2, ADM-7) ----

export const GrantsQuery = Query({
  kind: Field(40), jurisdiction: Field(200), page: PageNo(),
  done: Field(20), k: Field(40), g: Type.Optional(Id()),
});
export const NewGrantQuery = Query({ account: Type.Optional(Id()) });
export const GrantForm = FormBody({ username: Field(100), kind: Field(40), jurisdiction: Field(200), categories: FieldList(100, 40) });

// ---- Application systems (SSO-1, ADM-6, REQ-1) ----

export const SavedQuery = Query({ saved: Field(40) });
export const OwnerForm = FormBody({ ownerOid: Field(250) });
export const ApplyScopeForm = FormBody({ subtrees: Field(10_000) });

export { PAGE, FORM_PAGE, Html };
