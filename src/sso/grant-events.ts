// Issue 15 (OPS-4): token grants issued by the provider, by grant type, for /metrics. The
// composition root listens (platform/ does not import capabilities); one listener per Deps.
import type { Deps } from '../platform/deps.ts';

const listeners = new WeakMap<Deps, (type: string) => void>();

export function onGrant(deps: Deps, fn: (type: string) => void): void { listeners.set(deps, fn); }

export function grantIssued(deps: Deps, type: string): void {
  // Only the grant types the provider accepts are labels, so a client cannot grow the label set.
  const known = ['authorization_code', 'refresh_token', 'client_credentials'];
  listeners.get(deps)?.(known.includes(type) ? type : 'other');
}
