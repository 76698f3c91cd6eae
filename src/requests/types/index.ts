// The request types (REQ-1..6, ACC-4, AUTH-7), one table keyed by type code. Each type is declared
// whole in its own file here (definition.ts says what: its steps, submission check, executor,
// description and form); the engine, decisions, details page, printed form, form pages and API
// read them only through REQUEST_TYPES.
//
// Adding a type touches only its own file (src/requests/types/<code>.ts) plus one line in this
// table. Its labels (request.type.<code>, the form's intro and field labels) are message keys in
// the catalog, src/requests/messages.ts, like every other text.
import type { RequestStepKind } from '../../access/authorize.ts';
import type { RequestTypeDefinition } from './definition.ts';
import { accountApplication } from './account-application.ts';
import { permissionAdd } from './permission-add.ts';
import { permissionRemove } from './permission-remove.ts';
import { registrationAdmin } from './registration-admin.ts';
import { userChange } from './user-change.ts';
import { oneDayPassword } from './one-day-password.ts';
import { profileChange } from './profile-change.ts';
import { accountReenable } from './account-reenable.ts';

const TABLE = {
  account_application: accountApplication,
  permission_add: permissionAdd,
  permission_remove: permissionRemove,
  registration_admin: registrationAdmin,
  user_change: userChange,
  one_day_password: oneDayPassword,
  profile_change: profileChange,
  account_reenable: accountReenable,
};

export type RequestTypeCode = keyof typeof TABLE;

export const REQUEST_TYPES: Readonly<Record<RequestTypeCode, RequestTypeDefinition>> = TABLE;

export const REQUEST_TYPE_CODES = Object.keys(TABLE) as readonly RequestTypeCode[];

export const isRequestType = (s: unknown): s is RequestTypeCode => typeof s === 'string' && Object.hasOwn(TABLE, s);

/** The types a signed-in user submits with a form (an application comes through /apply). */
export type FormType = { [K in RequestTypeCode]: (typeof TABLE)[K] extends { fromForm: unknown } ? K : never }[RequestTypeCode];
/** The types with a page of their own, /requests/new/<type>. */
export type PageFormType = { [K in RequestTypeCode]: (typeof TABLE)[K] extends { page: unknown } ? K : never }[RequestTypeCode];

export const FORM_TYPES = REQUEST_TYPE_CODES.filter((c): c is FormType => REQUEST_TYPES[c].fromForm !== undefined);
export const PAGE_FORM_TYPES = REQUEST_TYPE_CODES.filter((c): c is PageFormType => REQUEST_TYPES[c].page !== undefined);
export const isFormType = (s: unknown): s is FormType => typeof s === 'string' && (FORM_TYPES as readonly string[]).includes(s);
export const isPageFormType = (s: unknown): s is PageFormType => typeof s === 'string' && (PAGE_FORM_TYPES as readonly string[]).includes(s);

/** The step waiting after `stepNo` (1-based) was approved, or null when that was the last. */
export function nextStep(type: RequestTypeCode, stepNo: number): { no: number; kind: RequestStepKind } | null {
  const kind = REQUEST_TYPES[type].steps[stepNo];
  return kind ? { no: stepNo + 1, kind } : null;
}

export const firstStep = (type: RequestTypeCode): RequestStepKind => REQUEST_TYPES[type].steps[0];
