// Pure validation of the real-name profile (ACC-1). Returns normalised values or message keys.
import { isValidNationalId, normaliseNationalId } from './national-id.ts';
import { normaliseMobile } from './mobile.ts';
import type { Policy } from '../orgs/policy.ts';

export interface ProfileInput {
  name?: string; nationalId?: string; birthMonth?: string; birthDay?: string; email?: string;
  mobile?: string; title?: string; department?: string; address?: string; officePhone?: string;
  officeExt?: string; fax?: string; staffCode?: string; postalCode?: string;
}

export interface Profile {
  name: string; nationalId: string | null; birthMonth: number | null; birthDay: number | null;
  email: string | null; mobile: string | null; title: string | null; department: string | null;
  address: string | null; officePhone: string | null; officeExt: string | null; fax: string | null;
  staffCode: string | null; postalCode: string | null;
}

export type FieldErrors = Partial<Record<keyof ProfileInput, string>>;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const opt = (s: string | undefined): string | null => (s && s.trim() !== '' ? s.trim() : null);

export function emailDomainAllowed(email: string, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return allowed.some((d) => domain === d || domain.endsWith('.' + d));
}

export function validateProfile(input: ProfileInput, policy: Pick<Policy, 'email.allowedDomains' | 'nationalId.required'>): { profile?: Profile; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = (input.name ?? '').trim();
  // Chinese characters (with the middle dot of transliterated names) or Latin letters with spaces.
  if (!/^([\p{Script=Han}·．]{1,30}|[A-Za-z][A-Za-z .'-]{0,59})$/u.test(name)) errors.name = 'profile.name';

  const nid = opt(input.nationalId) ? normaliseNationalId(input.nationalId!) : null;
  if (nid === null && policy['nationalId.required']) errors.nationalId = 'profile.required';
  else if (nid !== null && !isValidNationalId(nid)) errors.nationalId = 'profile.nationalId';

  let birthMonth: number | null = null, birthDay: number | null = null;
  if (opt(input.birthMonth) || opt(input.birthDay)) {
    birthMonth = Number(input.birthMonth); birthDay = Number(input.birthDay);
    if (!Number.isInteger(birthMonth) || birthMonth < 1 || birthMonth > 12 || !Number.isInteger(birthDay)
      || birthDay < 1 || birthDay > DAYS_IN_MONTH[birthMonth - 1]) errors.birthMonth = 'profile.birthday';
  }

  const email = opt(input.email)?.toLowerCase() ?? null;
  if (email !== null) {
    if (!/^[^\s@]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(email)) errors.email = 'profile.email';
    else if (!emailDomainAllowed(email, policy['email.allowedDomains'])) errors.email = 'profile.emailDomain';
  }
  const typedMobile = opt(input.mobile);
  const mobile = typedMobile === null ? null : normaliseMobile(typedMobile);
  if (typedMobile !== null && mobile === null) errors.mobile = 'profile.mobile';
  const phone = /^[0-9()+\- ]{6,20}$/;
  const officePhone = opt(input.officePhone), fax = opt(input.fax);
  if (officePhone !== null && !phone.test(officePhone)) errors.officePhone = 'profile.phone';
  if (fax !== null && !phone.test(fax)) errors.fax = 'profile.phone';
  const officeExt = opt(input.officeExt);
  if (officeExt !== null && !/^\d{1,8}$/.test(officeExt)) errors.officeExt = 'profile.ext';
  const postalCode = opt(input.postalCode);
  if (postalCode !== null && !/^\d{3}(\d{2,3})?$/.test(postalCode)) errors.postalCode = 'profile.postalCode';
  const short = (k: 'title' | 'department' | 'staffCode', max: number) => {
    const v = opt(input[k]);
    if (v !== null && v.length > max) errors[k] = 'profile.tooLong';
    return v;
  };
  const title = short('title', 60), department = short('department', 60), staffCode = short('staffCode', 30);
  const address = opt(input.address);
  if (address !== null && address.length > 200) errors.address = 'profile.tooLong';

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    profile: { name, nationalId: nid, birthMonth, birthDay, email, mobile, title, department, address, officePhone, officeExt, fax, staffCode, postalCode },
  };
}
