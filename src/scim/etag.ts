// SSO-6: If-Match (RFC 7644 §3.14): a write goes ahead only on the current version or "*"; else 412. Pure.
import { ScimError } from './errors.ts';

export function checkVersion(current: { meta?: unknown }, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const strip = (v: string) => v.trim().replace(/^W\//, '');
  const version = strip((current.meta as { version: string }).version);
  if (!ifMatch.split(',').some((w) => w.trim() === '*' || strip(w) === version)) {
    throw new ScimError(412, undefined, 'The resource has changed (If-Match does not match its version)');
  }
}
