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
    nationalId: { type: 'string', minLength: 1, maxLength: 20, description: 'National ID or resident certificate number, exact after normalisation (spaces removed, upper case)' },
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
  required: ['total', 'totalExact', 'page', 'pageSize', 'items'],
  properties: {
    total: { type: 'integer', description: 'Matching accounts inside the caller\'s jurisdiction, counted up to 1,000' },
    totalExact: { type: 'boolean', description: 'false: there are more than 1,000 matches (total is then 1000); refine the search, or page on while pages are full' },
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

export const systemItem = {
  type: 'object',
  required: ['code', 'nameZh', 'nameEn', 'category', 'flags', 'ownerOid', 'ownerName', 'roles', 'applyScope'],
  properties: {
    code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' },
    applyScope: { type: 'array', items: { type: 'string' }, description: 'Subtree root OIDs whose organisations may apply for its roles (REQ-1)' },
    category: { type: 'string', description: '系統類別: what an administration grant\'s categories name' },
    flags: { type: 'object', properties: { certificateRequired: { type: 'boolean' } }, additionalProperties: true },
    ownerOid: { type: 'string', description: 'The owning organisation (SSO-1): its client, secret, consent report and announcements are managed by grants whose jurisdiction covers it; 2.16.886 (the national root) for a platform-wide system' },
    ownerName: { type: ['string', 'null'], description: 'The owning organisation\'s name; null for the national root, which is not a registered organisation' },
    roles: {
      type: 'array',
      items: {
        type: 'object', required: ['code', 'nameZh', 'nameEn'],
        properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' } },
      },
    },
  },
} as const;

export const systemList = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: systemItem } },
} as const;

/** PATCH /systems/{code}: the central authority names the owning organisation (SSO-1). */
export const systemPatchBody = {
  type: 'object', additionalProperties: false, required: ['ownerOid'],
  properties: { ownerOid: { type: 'string', minLength: 1, maxLength: 200, description: 'A registered organisation\'s OID, or 2.16.886 for platform-wide' } },
} as const;

/** Answers every authenticated route can give besides its success. */
export const authErrors = { 400: errorBody, 401: errorBody, 404: errorBody } as const;

// ---- Account administration (ADM-3, ADM-5, ADM-6, AUTH-7) ----

const text = (maxLength: number, description?: string) => ({ type: ['string', 'null'], maxLength, ...(description ? { description } : {}) }) as const;

/** The profile fields an administrator writes; null or '' clears an optional field. */
const profileProperties = {
  name: { type: 'string', minLength: 1, maxLength: 60, description: 'Real name, Chinese characters or Latin letters' },
  nationalId: { type: 'string', maxLength: 20, description: 'National ID or resident certificate number (checksum-validated); spaces removed and letters upper-cased before it is checked; stored encrypted, never answered in clear' },
  birthMonth: { type: ['integer', 'null'], minimum: 1, maximum: 12 },
  birthDay: { type: ['integer', 'null'], minimum: 1, maximum: 31 },
  email: text(200, 'Official e-mail; the unit policy\'s domain allow-list applies'),
  mobile: text(20, 'Taiwanese mobile: 0912345678, 0912-345678, 0912 345 678 or +886912345678; stored and answered as 09xx-xxxxxx'),
  title: text(60), department: text(60), address: text(200), officePhone: text(20), officeExt: text(8), fax: text(20),
  staffCode: text(30), postalCode: text(6),
} as const;

export const accountCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['unitOid', 'name'],
  properties: {
    unitOid: { type: 'string', maxLength: 200, pattern: OID_PATTERN, description: 'A unit inside the caller\'s jurisdiction' },
    username: { type: 'string', maxLength: 100, description: 'By the unit policy\'s username scheme; under the national-ID scheme it may be left out' },
    ...profileProperties,
  },
} as const;

export const accountPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'Fields left out keep their value. unitOid moves the account (both units inside the jurisdiction).',
  properties: {
    unitOid: { type: 'string', maxLength: 200, pattern: OID_PATTERN },
    ...profileProperties,
  },
} as const;

export type ProfileBody = { [K in keyof typeof profileProperties]?: string | number | null } & { unitOid?: string; username?: string };

export const accountCreated = {
  type: 'object',
  required: ['id', 'username', 'state', 'scheme'],
  properties: {
    id: { type: 'integer' }, username: { type: 'string' }, state: { type: 'string', enum: ['not_activated'] },
    scheme: { type: 'string', enum: ['birthday_national_id', 'email_link'], description: 'How the account is activated (AUTH-4)' },
  },
} as const;

export const accountUpdated = {
  type: 'object', required: ['changed'],
  properties: { changed: { type: 'array', items: { type: 'string' }, description: 'Names of the fields that changed' } },
} as const;

export const stateBody = {
  type: 'object', additionalProperties: false, required: ['state'],
  properties: { state: { type: 'string', enum: ['enabled', 'disabled'], description: 'enabled returns a never-activated account to not_activated' } },
} as const;
export const stateResult = { type: 'object', required: ['state'], properties: { state: { type: 'string' } } } as const;
export const unlockResult = { type: 'object', required: ['wasLocked'], properties: { wasLocked: { type: 'boolean' } } } as const;
export const issuedResult = {
  type: 'object', required: ['expiresAt'],
  properties: { expiresAt: { type: 'string', format: 'date-time', description: 'Midnight in Asia/Taipei' } },
} as const;

export const resendResult = {
  type: 'object', required: ['expiresAt'],
  properties: { expiresAt: { type: 'string', format: 'date-time', description: 'When the new set-password link expires (72 hours)' } },
} as const;

export const deleteBody = {
  type: 'object', additionalProperties: false, required: ['ids', 'confirm'],
  properties: {
    ids: { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
    confirm: { const: true, description: 'Deletion cannot be undone: it must be confirmed explicitly' },
  },
} as const;
export const deleteResult = { type: 'object', required: ['deleted'], properties: { deleted: { type: 'integer' } } } as const;

export const roleChoiceList = {
  type: 'object', required: ['grantable', 'otherHeld'],
  properties: {
    grantable: {
      type: 'array', description: 'Roles of the categories the caller\'s grant covers for this account\'s unit',
      items: {
        type: 'object', required: ['code', 'nameZh', 'nameEn', 'systemCode', 'category', 'held'],
        properties: {
          code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, systemCode: { type: 'string' },
          category: { type: 'string' }, held: { type: 'boolean' },
        },
      },
    },
    otherHeld: { type: 'array', items: { type: 'string' }, description: 'Roles held outside those categories (left untouched)' },
  },
} as const;
export const rolesBody = {
  type: 'object', additionalProperties: false, required: ['roles'],
  properties: { roles: { type: 'array', maxItems: 200, uniqueItems: true, items: { type: 'string', maxLength: 100 }, description: 'The full list wanted among the grantable roles' } },
} as const;
export const rolesResult = {
  type: 'object', required: ['added', 'removed'],
  properties: { added: { type: 'array', items: { type: 'string' } }, removed: { type: 'array', items: { type: 'string' } } },
} as const;

/** PUT /systems/{code}/apply-scope: the whole list of subtrees that may apply (empty: nobody). */
export const applyScopeBody = {
  type: 'object', required: ['subtrees'], additionalProperties: false,
  properties: { subtrees: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)+$', maxLength: 200 }, description: 'Subtree root OIDs' } },
} as const;
export const applyScopeResult = {
  type: 'object', required: ['code', 'applyScope'], properties: { code: { type: 'string' }, applyScope: { type: 'array', items: { type: 'string' } } },
} as const;

export const systemCodeParams = {
  type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[a-z0-9_]{1,40}$' } },
} as const;
export const systemAdminList = {
  type: 'object', required: ['system', 'items'],
  properties: {
    system: { type: 'object', properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, category: { type: 'string' } } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['jurisdictionOid', 'agencyName', 'kind', 'accountId', 'name'],
        properties: {
          jurisdictionOid: { type: 'string' }, agencyName: { type: ['string', 'null'] },
          kind: { type: 'string', enum: ['registration_admin', 'main_account'] }, accountId: { type: 'integer' }, name: { type: 'string' },
          title: { type: ['string', 'null'] }, department: { type: ['string', 'null'] }, officePhone: { type: ['string', 'null'] },
          officeExt: { type: ['string', 'null'] }, email: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

/** Validation refused by the unit's rules: `errors` maps each field to its message. */
export const fieldErrorBody = {
  type: 'object', required: ['error', 'message', 'errors'],
  properties: { ...errorBody.properties, errors: { type: 'object', additionalProperties: { type: 'string' } } },
} as const;

/** Answers every account-changing route can give besides its success. */
export const writeErrors = { ...authErrors, 403: errorBody, 409: errorBody, 422: fieldErrorBody } as const;

// ---- Account CSV import and export (issue 3) ----

export const accountImportBody = {
  type: 'object',
  required: ['csv'],
  additionalProperties: false,
  properties: {
    csv: {
      type: 'string', maxLength: 1000000,
      description: 'UTF-8 CSV (a BOM is allowed); header: username,name,national_id,birth_month,birth_day,email,mobile,title,department,office_phone,office_ext,unit_oid (username, name, unit_oid required)',
    },
    dryRun: { type: 'boolean', default: false, description: 'Check every row and report what would be created; write nothing' },
  },
} as const;

export const accountImportResult = {
  type: 'object',
  required: ['dryRun', 'created', 'errors', 'warnings'],
  properties: {
    dryRun: { type: 'boolean' },
    created: {
      type: 'array', description: 'Accounts created (or, on a dry run, that would be); empty when any row is refused',
      items: {
        type: 'object', required: ['line', 'username', 'unitOid', 'scheme'],
        properties: { line: { type: 'integer' }, username: { type: 'string' }, unitOid: { type: 'string' }, scheme: { type: 'string', enum: ['birthday_national_id', 'email_link'] } },
      },
    },
    warnings: {
      type: 'array', description: 'Cells that start like a spreadsheet formula (= + - @): imported as typed, but worth a look',
      items: {
        type: 'object', required: ['line', 'column', 'error', 'message'],
        properties: { line: { type: 'integer' }, column: { type: 'string' }, error: { type: 'string' }, message: { type: 'string' } },
      },
    },
    errors: {
      type: 'array', description: 'Refusals by line (1 = the header); any refusal means nothing was written',
      items: {
        type: 'object', required: ['line', 'error', 'message'],
        properties: {
          line: { type: 'integer' }, column: { type: 'string' },
          error: { type: 'string', description: 'Message key, stable for programs' },
          message: { type: 'string', description: 'The refusal in the caller\'s language, with its line' },
        },
      },
    },
  },
} as const;
