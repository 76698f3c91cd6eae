// AUTH-8 check 2: the validity period covers now (the injected clock).
import type { Check } from './types.ts';

export const validity: Check = async (a) => {
  const c = a.info!;
  if (a.now < c.notBefore) return 'cert.notYetValid';
  if (a.now > c.notAfter) return 'cert.expired';
  return null;
};
