// `tessera system owner CODE [OID]` (SSO-1, issue 9 item 1): the operator shows or sets the
// organisation that owns an application system. Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../../platform/deps.ts';
import { translator } from '../../messages.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { NATIONAL_ROOT, setSystemOwner } from './owner.ts';
import { findRegistryRow } from './store.ts';

export const SYSTEM_USAGE = `
  system owner CODE [OID]    show, or set, the organisation that owns application system CODE
                             (${NATIONAL_ROOT}: platform-wide); its client and announcements are managed
                             by grants whose jurisdiction covers the owner`;

interface Out { out(s: string): void; err(s: string): void }

async function describe(deps: Deps, code: string): Promise<string | null> {
  const s = await findRegistryRow(deps.db, code);
  if (!s) return null;
  return `${code}: owned by ${s.owner_oid} (${s.owner_name ?? translator('zh-TW')('admin.systems.owner.national')})`;
}

export async function systemCommand(deps: Deps, sub: string | undefined, args: string[], io: Out): Promise<number> {
  if (sub !== 'owner' || args.length < 1 || args.length > 2) return 2;
  const [code, oid] = args;
  if (oid !== undefined) {
    try {
      const r = await setSystemOwner(deps, null, code, oid, null);
      if (!r.ok) { io.err(`tessera: ${translator('en')(r.error)}\n`); return 1; }
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
    }
  }
  const line = await describe(deps, code);
  if (!line) { io.err(`tessera: no application system ${code}\n`); return 1; }
  io.out(line + '\n');
  return 0;
}
