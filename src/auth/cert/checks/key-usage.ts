// AUTH-8 check 4: the key may make digital signatures (a citizen card's signing certificate).
import { x509 } from '../certificate.ts';
import type { Check } from './types.ts';

export const keyUsage: Check = async (a) => {
  const ku = a.info!.keyUsage;
  return ku !== null && (ku & x509.KeyUsageFlags.digitalSignature) ? null : 'cert.keyUsage';
};
