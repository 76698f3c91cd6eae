// AUTH-8 check 1: the presented bytes are an X.509 certificate.
import { parseCertificate } from '../certificate.ts';
import type { Check } from './types.ts';

export const parse: Check = async (a) => {
  try {
    a.info = await parseCertificate(a.der);
    return null;
  } catch {
    return 'cert.unreadable';
  }
};
