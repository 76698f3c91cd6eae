// `tessera token …` and `tessera grant …` (OPS-6): the operator's side of delegated administration.
// Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../platform/deps.ts';
import { HttpError } from '../platform/http/errors.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { createApiToken, revokeApiTokens, TokenError, DEFAULT_TOKEN_DAYS } from './tokens.ts';
import { createGrant, GrantInputError } from './grants.ts';

export const ADMIN_USAGE = `  token create --username U [--days N] [--label L]
                             print a personal API token (once; default ${DEFAULT_TOKEN_DAYS} days)
  token revoke --username U  revoke every API token of U
  grant add --username U --kind K --oid OID [--categories a,b]
                             give U an administration grant (K: central, registration_admin,
                             main_account, unit_supervisor, helpdesk)`;

interface Out { out(s: string): void; err(s: string): void }

/** `--name value` pairs; anything else (a stray word, a flag without value) is a usage error. */
export function parseFlags(args: string[]): Record<string, string> | null {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i], value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined || value.startsWith('--')) return null;
    flags[name.slice(2)] = value;
  }
  return flags;
}

export async function tokenCommand(deps: Deps, sub: string | undefined, args: string[], io: Out): Promise<number> {
  const f = parseFlags(args);
  if (!f?.username) return 2;
  try {
    if (sub === 'create') {
      if (f.days !== undefined && !/^\d+$/.test(f.days)) throw new TokenError('--days must be a whole number');
      const t = await createApiToken(deps, f.username, { days: f.days ? Number(f.days) : undefined, label: f.label });
      // The token goes to stdout alone on its line, so `$(tessera token create …)`-style capture works.
      io.out(`${t.token}\n`);
      io.err(`API token for ${f.username} expires ${t.expiresAt.toISOString()}; it is shown only now.\n`);
      return 0;
    }
    if (sub === 'revoke') {
      const n = await revokeApiTokens(deps, f.username);
      io.out(`revoked ${n} token${n === 1 ? '' : 's'} of ${f.username}\n`);
      return 0;
    }
  } catch (e) {
    if (e instanceof TokenError) { io.err(`tessera: ${e.message}\n`); return 1; }
    throw e;
  }
  return 2;
}

export async function grantCommand(deps: Deps, sub: string | undefined, args: string[], io: Out): Promise<number> {
  const f = parseFlags(args);
  if (sub !== 'add' || !f?.username || !f.kind || !f.oid) return 2;
  const account = await findAccountByUsername(deps.db, f.username);
  if (!account) { io.err(`tessera: no account ${f.username}\n`); return 1; }
  try {
    const id = await createGrant(deps, null, {
      accountId: account.id, kind: f.kind, jurisdictionOid: f.oid, categories: (f.categories ?? '').split(','),
    }, null);
    io.out(`grant ${id}: ${f.username} is ${f.kind} for ${f.oid}${f.categories ? ` (categories ${f.categories})` : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof GrantInputError) { io.err(`tessera: ${e.message}\n`); return 1; }
    if (e instanceof HttpError) { io.err(`tessera: no account ${f.username}\n`); return 1; }
    throw e;
  }
}
