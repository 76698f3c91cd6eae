// Pure username rules (ACC-2); which one applies is the policy's `username.scheme`.
import { isValidNationalId, normaliseNationalId } from './national-id.ts';
import type { Policy } from '../orgs/policy.ts';

export type UsernameError = 'username.alnum' | 'username.tenantPrefix' | 'username.nationalId' | 'username.noTenant';

export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Checks `username` against the scheme; `tenantCode` is the account's tenant (school code), if any. */
export function checkUsername(username: string, scheme: Policy['username.scheme'], tenantCode: string | null): UsernameError | null {
  switch (scheme) {
    case 'alnum':
      return /^[A-Za-z0-9]{6,30}$/.test(username) ? null : 'username.alnum';
    case 'tenant_prefixed': {
      if (!tenantCode) return 'username.noTenant';
      const prefix = tenantCode + '_';
      if (!username.startsWith(prefix)) return 'username.tenantPrefix';
      return /^[A-Za-z0-9.-]{2,64}$/.test(username.slice(prefix.length)) ? null : 'username.tenantPrefix';
    }
    case 'national_id':
      return isValidNationalId(username) && username === normaliseNationalId(username) ? null : 'username.nationalId';
  }
}
