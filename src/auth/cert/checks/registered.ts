// AUTH-8 check 7. Sign-in: the certificate is registered (to the account it then signs in).
// Registration (憑證註冊): not bound already, CN equals the account's name, and the
// 2.16.886.1.100.2.51 attribute equals the last 4 digits of the stored national ID.
import { accountIdentity } from '../store.ts';
import type { Check } from './types.ts';

export const registered: Check = async (a) => {
  if (a.purpose === 'login') return a.binding ? null : 'cert.notRegistered';
  if (a.binding) return a.binding.account_id === a.accountId ? 'cert.alreadyRegistered' : 'cert.otherAccount';
  const me = await accountIdentity(a.deps.db, a.accountId!);
  if (!me) return 'cert.notRegistered';
  if (a.info!.commonName.normalize('NFC').trim() !== me.name.normalize('NFC').trim()) return 'cert.nameMismatch';
  const id = me.national_id_enc ? a.deps.keyring.decrypt(me.national_id_enc) : '';
  if (!id || a.info!.nationalIdLast4 !== id.slice(-4)) return 'cert.idMismatch';
  return null;
};
