// SSO-6: an account as a SCIM User (RFC 7643 §4.1, §4.3 and Tessera's extension) and back. Pure.
// Never the national ID, nor any credential. The version (ETag) is a digest of the representation,
// so it changes exactly when something a client can see changes.
import crypto from 'node:crypto';
import { CORE_USER, ENTERPRISE_USER, TESSERA_USER } from './schemas.ts';
import type { AccountInput } from '../admin/accounts.ts';
import { invalidValue } from './errors.ts';

export interface UserFacts {
  id: number; username: string; name: string; state: string; email: string | null; mobile: string | null; title: string | null;
  department: string | null; office_phone: string | null; staff_code: string | null; unit_oid: string; unit_name: string | null;
  org_oid: string | null; org_name: string | null; created_at: Date; updated_at: Date;
  /** The calling system's externalId of this account (stored per system), if it set one. */
  external_id?: string | null;
}

export type Json = Record<string, unknown>;

const drop = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export const versionOf = (resource: Json): string => {
  const { meta: _meta, ...rest } = resource;
  return `W/"${crypto.createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16)}"`;
};

export function userResource(u: UserFacts, baseUrl: string): Json {
  const phones = [
    ...(u.office_phone ? [{ value: u.office_phone, type: 'work' }] : []),
    ...(u.mobile ? [{ value: u.mobile, type: 'mobile' }] : []),
  ];
  const body: Json = drop({
    schemas: [CORE_USER, ENTERPRISE_USER, TESSERA_USER],
    id: String(u.id),
    externalId: u.external_id,
    userName: u.username,
    name: { formatted: u.name },
    displayName: u.name,
    title: u.title,
    active: u.state === 'enabled' || u.state === 'not_activated',
    emails: u.email ? [{ value: u.email, type: 'work', primary: true }] : null,
    phoneNumbers: phones.length ? phones : null,
    [ENTERPRISE_USER]: drop({ department: u.department, employeeNumber: u.staff_code, organization: u.org_name }),
    [TESSERA_USER]: drop({ organizationOid: u.org_oid, organizationName: u.org_name, unitOid: u.unit_oid, unitName: u.unit_name, title: u.title, officePhone: u.office_phone }),
  });
  const meta = { resourceType: 'User', created: u.created_at.toISOString(), lastModified: u.updated_at.toISOString(), location: `${baseUrl}/Users/${u.id}` };
  return { ...body, meta: { ...meta, version: versionOf(body) } };
}

// ---- Reading a client's representation (POST, PUT, the result of a PATCH) ----

/** A property by name, case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive). */
export function prop(o: unknown, name: string): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (o as Json)[key];
}

const textOf = (v: unknown, what: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidValue(`'${what}' must be a string`);
};

/** `true`, `false`, or the strings Entra ID sends ("True", "False"). */
export function activeOf(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  throw invalidValue("'active' must be true or false");
}

type Entry = { value?: unknown; type?: unknown; primary?: unknown };
const entries = (v: unknown, what: string): Entry[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidValue(`'${what}' must be a list`);
  return v.map((e) => (e && typeof e === 'object' ? { value: prop(e, 'value'), type: prop(e, 'type'), primary: prop(e, 'primary') } : { value: e }));
};
const isPrimary = (e: Entry) => e.primary === true || (typeof e.primary === 'string' && e.primary.toLowerCase() === 'true');
const typed = (list: Entry[], type: string) => list.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === type);

/** What a full representation says, as the admin use cases' input; left-out attributes clear ('') the field. */
export interface UserWrite { input: AccountInput; userName?: string; active?: boolean; externalId: string | null }

/** externalId (RFC 7643 §3.1): case-exact text a client gives; left out or empty clears it. */
export function externalIdOf(v: unknown): string | null {
  const s = textOf(v, 'externalId');
  if (s === undefined || s.trim() === '') return null;
  if (s.length > 300) throw invalidValue("'externalId' is longer than 300 characters");
  return s;
}

export function userInput(r: Json): UserWrite {
  const ent = prop(r, ENTERPRISE_USER);
  const ext = prop(r, TESSERA_USER);
  const name = prop(r, 'name');
  const composed = [textOf(prop(name, 'familyName'), 'name.familyName'), textOf(prop(name, 'givenName'), 'name.givenName')].filter(Boolean).join('');
  const fullName = textOf(prop(name, 'formatted'), 'name.formatted') || composed || textOf(prop(r, 'displayName'), 'displayName');
  const emails = entries(prop(r, 'emails'), 'emails');
  const email = (emails.find(isPrimary) ?? typed(emails, 'work') ?? emails[0])?.value;
  const phones = entries(prop(r, 'phoneNumbers'), 'phoneNumbers');
  const work = typed(phones, 'work')?.value;
  const mobile = typed(phones, 'mobile')?.value;
  const unitOid = textOf(prop(ext, 'unitOid'), 'unitOid');
  const input: AccountInput = {
    name: fullName ?? '',
    email: textOf(email, 'emails.value') ?? '',
    officePhone: textOf(work, 'phoneNumbers.value') ?? '',
    mobile: textOf(mobile, 'phoneNumbers.value') ?? '',
    title: textOf(prop(r, 'title'), 'title') ?? '',
    department: textOf(prop(ent, 'department'), 'department') ?? '',
    staffCode: textOf(prop(ent, 'employeeNumber'), 'employeeNumber') ?? '',
    ...(unitOid ? { unitOid } : {}),
  };
  return { input, userName: textOf(prop(r, 'userName'), 'userName'), active: activeOf(prop(r, 'active')), externalId: externalIdOf(prop(r, 'externalId')) };
}

/**
 * After a PATCH, the full name is one field seen three ways (name.formatted, displayName,
 * familyName + givenName): whichever the operations changed wins over the unchanged copies.
 */
export function reconcileNames(before: Json, after: Json): Json {
  const name = prop(after, 'name');
  const formatted = prop(name, 'formatted');
  const display = prop(after, 'displayName');
  const parts = [prop(name, 'familyName'), prop(name, 'givenName')].filter((v) => typeof v === 'string' && v).join('');
  let full: unknown = formatted;
  if (formatted === prop(prop(before, 'name'), 'formatted')) {
    if (display !== prop(before, 'displayName') && typeof display === 'string') full = display;
    else if (parts) full = parts;
  }
  return { ...after, name: { ...(name && typeof name === 'object' ? name as Json : {}), formatted: full } };
}
