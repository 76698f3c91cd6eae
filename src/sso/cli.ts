// tessera sso <sub>: signing-key rotation and other single-sign-on commands (SSO-2).
import type { Deps } from '../platform/deps.ts';

export const SSO_USAGE = '';

export interface CliIo { out(s: string): void; err(s: string): void }

/** Returns the exit code, or 2 for "not an sso command I know" (the caller prints the usage). */
export async function ssoCommand(_deps: Deps, _sub: string | undefined, _args: string[], _io: CliIo): Promise<number> {
  return 2;
}
