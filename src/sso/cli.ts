// tessera sso <sub>: signing-key rotation (SSO-2). Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../platform/deps.ts';
import { keyStatus, rotateKeys } from './keys.ts';
import { KEY_ACTIVATION_DELAY_MS, KEY_RETENTION_MS } from './key-plan.ts';

export const SSO_USAGE = `
  sso rotate-keys [--immediate]
                             new ES256 and RS256 token-signing keys; they sign after ${KEY_ACTIVATION_DELAY_MS / 1000} s (every
                             instance publishes them first); old public keys stay in the JWKS ${KEY_RETENTION_MS / 3_600_000} h.
                             --immediate: sign at once and drop the old keys (a key that may have leaked)
  sso keys                   list the signing keys and their state`;

export interface CliIo { out(s: string): void; err(s: string): void }

/** Returns the exit code, or 2 for "not an sso command I know" (the caller prints the usage). */
export async function ssoCommand(deps: Deps, sub: string | undefined, args: string[], io: CliIo): Promise<number> {
  if (sub === 'rotate-keys') {
    if (args.some((a) => a !== '--immediate')) return 2;
    const r = await rotateKeys(deps, { immediate: args.includes('--immediate') });
    io.out(`created ${r.created.join(', ')}; signing from ${r.activatesAt.toISOString()}\n`);
    if (r.dropped.length) io.out(`dropped ${r.dropped.join(', ')}\n`);
    return 0;
  }
  if (sub === 'keys' && args.length === 0) {
    for (const k of await keyStatus(deps)) io.out(`${k.kid}  ${k.alg}  ${k.state}  activates ${k.activatesAt.toISOString()}\n`);
    return 0;
  }
  return 2;
}
