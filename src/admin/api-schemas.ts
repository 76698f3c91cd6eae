// The contract of the administration API (ADM-3..6, AUTH-7, SSO-1, issue 3, issue 10), as TypeBox
// declarations: Fastify validates input and serialises answers with them (any column not listed
// stays out of the answer), the type provider types the handlers' input, and the published OpenAPI
// document is generated from them (platform/http/openapi.ts), so the three cannot drift.
import { Type, Text, Oid, Id, PageNo, Closed, ErrorBody, FieldErrors, API_ERRORS, type Static, type TSchema } from '../platform/http/contract.ts';

export { OID_PATTERN } from '../platform/http/contract.ts';

/** `schema` or null, as one JSON Schema type list (Ajv's coercion leaves a null a null). */
export const OrNull = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [(schema as { type?: string }).type ?? 'string', 'null'] });

// Answers are serialised, not validated: a Date is written as its ISO string, and a service's
// string column is answered as it is; the enums below are what the answers hold, published.
/** A moment in an answer (a Date or its ISO string). */
export const DateTime = (opts: Record<string, unknown> = {}) => Type.Unsafe<Date | string>({ type: 'string', format: 'date-time', ...opts });
/** One of `values` in an answer. */
export const OneOf = (values: readonly string[], opts: Record<string, unknown> = {}) => Type.Unsafe<string>({ type: 'string', enum: [...values], ...opts });

const nullableDateTime = (description?: string) => OrNull(DateTime(description ? { description } : {}));
const nullableString = () => OrNull(Type.String());

// ---- Errors ----

/** An error answer described for this operation (the shape is the one ErrorBody of the API). */
export const apiError = (description: string) => Type.Object(ErrorBody.properties, { description });
/** A refusal by the unit's rules, described for this operation. */
export const fieldErrors = (description: string) => Type.Object(FieldErrors.properties, { description });

/** Answers every token-checked route can give besides its success. */
export const READ_ERRORS = {
  400: apiError('Invalid input'),
  401: apiError('No valid token: missing, unknown, expired, revoked, or the account is not enabled'),
  404: apiError('Not found, or outside the caller\'s jurisdiction (the two look the same)'),
} as const;

/** Answers every account-changing route can give besides its success. */
export const writeErrors = {
  ...READ_ERRORS,
  403: apiError('A role outside the categories of the caller\'s grant (ADM-7)'),
  409: apiError('The account\'s state does not allow this (e.g. pending, disabled), or it is the caller\'s own account'),
  422: fieldErrors('Refused by the unit\'s rules; `errors` names each field and why'),
} as const;

// Kept for the API modules still declared in plain JSON Schema (portal, requests, sso): the same
// shapes, from the contract's building blocks.
export const errorBody = ErrorBody;
export const fieldErrorBody = FieldErrors;
export const authErrors = API_ERRORS;

// ---- Account search and detail (ADM-4) ----

export const searchAccountsQuery = Closed({
  unit: Type.Optional(Oid({ description: 'Unit OID: accounts in this unit and below it' })),
  q: Type.Optional(Text(50, { minLength: 1, description: 'Name keyword (part of the name)' })),
  nationalId: Type.Optional(Text(20, { minLength: 1, description: 'National ID or resident certificate number, exact after normalisation (spaces removed, upper case)' })),
  page: PageNo(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

const ACCOUNT_STATES = ['pending', 'not_activated', 'enabled', 'disabled'] as const;

const accountSummaryProperties = {
  id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  unitOid: Type.String(),
  state: OneOf(ACCOUNT_STATES),
  activatedAt: nullableDateTime(),
  lastLoginAt: nullableDateTime('Latest password or certificate login'),
  nationalIdMasked: OrNull(Type.String({ description: 'Masked, e.g. A12****789' })),
};

export const accountList = Type.Object({
  total: Type.Integer({ description: 'Matching accounts inside the caller\'s jurisdiction, counted up to 1,000' }),
  totalExact: Type.Boolean({ description: 'false: there are more than 1,000 matches (total is then 1000); refine the search, or page on while pages are full' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(Type.Object(accountSummaryProperties)),
}, { description: 'One page of matches and the total' });

export const accountIdParams = Closed({ id: Id() });

export const accountDetail = Type.Object({
  ...accountSummaryProperties,
  unitName: nullableString(),
  lastPasswordLoginAt: nullableDateTime(),
  lastCertificateLoginAt: nullableDateTime(),
  birthMonth: Type.Optional(OrNull(Type.Integer())),
  birthDay: Type.Optional(OrNull(Type.Integer())),
  email: Type.Optional(nullableString()), mobile: Type.Optional(nullableString()), title: Type.Optional(nullableString()),
  department: Type.Optional(nullableString()), officePhone: Type.Optional(nullableString()), officeExt: Type.Optional(nullableString()),
  staffCode: Type.Optional(nullableString()),
  roles: Type.Array(Type.String(), { description: 'Role codes held' }),
}, { description: 'The account' });

// ---- Application systems (SSO-1, ADM-6, REQ-1) ----

export const systemCodeParams = Closed({ code: Text(40, { pattern: '^[a-z0-9_]{1,40}$' }) });

export const systemItem = Type.Object({
  code: Type.String(), nameZh: Type.String(), nameEn: Type.String(),
  category: Type.String({ description: '系統類別: what an administration grant\'s categories name' }),
  flags: Type.Object({ certificateRequired: Type.Optional(Type.Boolean()) }, { additionalProperties: true }),
  ownerOid: Type.String({ description: 'The owning organisation (SSO-1): its client, secret, consent report and announcements are managed by grants whose jurisdiction covers it; 2.16.886 (the national root) for a platform-wide system' }),
  ownerName: OrNull(Type.String({ description: 'The owning organisation\'s name; null for the national root, which is not a registered organisation' })),
  roles: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  applyScope: Type.Array(Type.String(), { description: 'Subtree root OIDs whose organisations may apply for its roles (REQ-1)' }),
}, { description: 'The system as now registered' });

export const systemList = Type.Object({ items: Type.Array(systemItem) }, { description: 'The registry' });

/** PATCH /systems/{code}: the central authority names the owning organisation (SSO-1). */
export const systemPatchBody = Closed({
  ownerOid: Text(200, { minLength: 1, description: 'A registered organisation\'s OID, or 2.16.886 for platform-wide' }),
});

/** PUT /systems/{code}/apply-scope: the whole list of subtrees that may apply (empty: nobody). */
export const applyScopeBody = Closed({
  subtrees: Type.Array(Text(200, { pattern: '^[0-9]+(\\.[0-9]+)+$' }), { maxItems: 50, uniqueItems: true, description: 'Subtree root OIDs' }),
});
export const applyScopeResult = Type.Object({ code: Type.String(), applyScope: Type.Array(Type.String()) }, { description: 'The subtrees now set' });

export const systemAdminList = Type.Object({
  system: Type.Object({
    code: Type.Optional(Type.String()), nameZh: Type.Optional(Type.String()), nameEn: Type.Optional(Type.String()), category: Type.Optional(Type.String()),
  }),
  items: Type.Array(Type.Object({
    jurisdictionOid: Type.String(), agencyName: nullableString(),
    kind: OneOf(['registration_admin', 'main_account']), accountId: Type.Integer(), name: Type.String(),
    title: Type.Optional(nullableString()), department: Type.Optional(nullableString()), officePhone: Type.Optional(nullableString()),
    officeExt: Type.Optional(nullableString()), email: Type.Optional(nullableString()),
  })),
}, { description: 'The administrators' });

// ---- Account administration (ADM-3, ADM-5, ADM-6, AUTH-7) ----

const text = (maxLength: number, description?: string) => Type.Optional(OrNull(Text(maxLength, description ? { description } : {})));

/** The profile fields an administrator writes; null or '' clears an optional field. */
const profileProperties = {
  name: Type.Optional(Text(60, { minLength: 1, description: 'Real name, Chinese characters or Latin letters' })),
  nationalId: Type.Optional(Text(20, { description: 'National ID or resident certificate number (checksum-validated); spaces removed and letters upper-cased before it is checked; stored encrypted, never answered in clear' })),
  birthMonth: Type.Optional(OrNull(Type.Integer({ minimum: 1, maximum: 12 }))),
  birthDay: Type.Optional(OrNull(Type.Integer({ minimum: 1, maximum: 31 }))),
  email: text(200, 'Official e-mail; the unit policy\'s domain allow-list applies'),
  mobile: text(20, 'Taiwanese mobile: 0912345678, 0912-345678, 0912 345 678 or +886912345678; stored and answered as 09xx-xxxxxx'),
  title: text(60), department: text(60), address: text(200), officePhone: text(20), officeExt: text(8), fax: text(20),
  staffCode: text(30), postalCode: text(6),
};

export const accountCreateBody = Closed({
  unitOid: Oid({ description: 'A unit inside the caller\'s jurisdiction' }),
  username: Type.Optional(Text(100, { description: 'By the unit policy\'s username scheme; under the national-ID scheme it may be left out' })),
  ...profileProperties,
  name: Text(60, { minLength: 1, description: 'Real name, Chinese characters or Latin letters' }),
});

export const accountPatchBody = Closed({
  unitOid: Type.Optional(Oid()),
  ...profileProperties,
}, { minProperties: 1, description: 'Fields left out keep their value. unitOid moves the account (both units inside the jurisdiction).' });

export type ProfileBody = Static<typeof accountPatchBody> & { username?: string };

const SCHEMES = ['birthday_national_id', 'email_link'] as const;

export const accountCreated = Type.Object({
  id: Type.Integer(), username: Type.String(), state: OneOf(['not_activated']),
  scheme: OneOf(SCHEMES, { description: 'How the account is activated (AUTH-4)' }),
}, { description: 'Created' });

export const accountUpdated = Type.Object({
  changed: Type.Array(Type.String(), { description: 'Names of the fields that changed' }),
}, { description: 'Done' });

export const stateBody = Closed({
  state: Type.Enum(['enabled', 'disabled'], { description: 'enabled returns a never-activated account to not_activated' }),
});
export const stateResult = Type.Object({ state: Type.String() }, { description: 'Done' });
export const unlockResult = Type.Object({ wasLocked: Type.Boolean() }, { description: 'Done' });
export const issuedResult = Type.Object({
  expiresAt: DateTime({ description: 'Midnight in Asia/Taipei' }),
}, { description: 'Done' });
export const resendResult = Type.Object({
  expiresAt: DateTime({ description: 'When the new set-password link expires (72 hours)' }),
}, { description: 'Done' });

export const deleteBody = Closed({
  ids: Type.Array(Id(), { minItems: 1, maxItems: 100, uniqueItems: true }),
  confirm: Type.Literal(true, { description: 'Deletion cannot be undone: it must be confirmed explicitly' }),
});
export const deleteResult = Type.Object({ deleted: Type.Integer() }, { description: 'Deleted' });

export const roleChoiceList = Type.Object({
  grantable: Type.Array(Type.Object({
    code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), systemCode: Type.String(), category: Type.String(), held: Type.Boolean(),
  }), { description: 'Roles of the categories the caller\'s grant covers for this account\'s unit' }),
  otherHeld: Type.Array(Type.String(), { description: 'Roles held outside those categories (left untouched)' }),
}, { description: 'Role choices' });
export const rolesBody = Closed({
  roles: Type.Array(Text(100), { maxItems: 200, uniqueItems: true, description: 'The full list wanted among the grantable roles' }),
});
export const rolesResult = Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()) }, { description: 'Done' });

// ---- Account CSV import and export (issue 3) ----

export const accountImportBody = Closed({
  csv: Text(1_000_000, {
    description: 'UTF-8 CSV (a BOM is allowed); header: username,name,national_id,birth_month,birth_day,email,mobile,title,department,office_phone,office_ext,unit_oid (username, name, unit_oid required)',
  }),
  dryRun: Type.Boolean({ default: false, description: 'Check every row and report what would be created; write nothing' }),
});

const csvRefusal = {
  line: Type.Integer(),
  error: Type.String({ description: 'Message key, stable for programs' }),
  message: Type.String({ description: 'The refusal in the caller\'s language, with its line' }),
};

/** The answer of an import; `description` says which of its outcomes. */
export const accountImportResult = (description: string) => Type.Object({
  dryRun: Type.Boolean(),
  created: Type.Array(Type.Object({ line: Type.Integer(), username: Type.String(), unitOid: Type.String(), scheme: OneOf(SCHEMES) }), {
    description: 'Accounts created (or, on a dry run, that would be); empty when any row is refused',
  }),
  errors: Type.Array(Type.Object({ ...csvRefusal, column: Type.Optional(Type.String()) }), {
    description: 'Refusals by line (1 = the header); any refusal means nothing was written',
  }),
  warnings: Type.Array(Type.Object({ line: Type.Integer(), column: Type.String(), error: Type.String(), message: Type.String() }), {
    description: 'Cells that start like a spreadsheet formula (= + - @): imported as typed, but worth a look',
  }),
}, { description });

export const accountsCsv = Type.String({ description: 'The accounts as CSV (text/csv, UTF-8 with BOM), national ID masked, no secrets' });
