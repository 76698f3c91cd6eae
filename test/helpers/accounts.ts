// Creates accounts directly through the account store (the admin screens come in a later issue).
import type { Deps } from '../../src/platform/deps.ts';
import { insertAccount, setPassword } from '../../src/accounts/store.ts';
import type { Profile } from '../../src/accounts/profile.ts';

export const emptyProfile = (name: string): Profile => ({
  name, nationalId: null, birthMonth: null, birthDay: null, email: null, mobile: null, title: null, department: null,
  address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null,
});

export async function createAccount(deps: Deps, a: {
  username: string; password: string; unitOid?: string; state?: string; name?: string;
  kind?: 'password' | 'initial' | 'one_day'; setAt?: Date; expiresAt?: Date | null; profile?: Partial<Profile>;
}): Promise<number> {
  const now = deps.clock.now();
  const id = await insertAccount(deps.db, deps.keyring, now, {
    username: a.username, unitOid: a.unitOid ?? '2.16.886.101.90027.20002.20011', state: a.state ?? 'enabled',
    profile: { ...emptyProfile(a.name ?? '林建國'), ...a.profile },
  });
  const kind = a.kind ?? 'password';
  await setPassword(deps.db, id, await deps.hasher.hash(a.password), a.setAt ?? now, kind, kind !== 'password', a.expiresAt ?? null);
  return id;
}
