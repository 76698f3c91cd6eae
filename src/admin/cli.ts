// `tessera token …` and `tessera grant …` (OPS-6): the operator's side of delegated administration.
// Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../platform/deps.ts';
import { HttpError } from '../platform/http/errors.ts';
import { findAccountByUsername } from '../accounts/store.ts';
import { createApiToken, revokeApiTokens, TokenError, DEFAULT_TOKEN_DAYS } from '../access/tokens.ts';
import { createGrant, GrantInputError } from './grants.ts';
import { loadActor } from '../access/actor.ts';
import { translator } from '../messages.ts';
import { csvErrorText, exportAccounts, importAccounts } from './account-csv.ts';

export const ADMIN_USAGE = `  token create --username U [--days N] [--label L]
                             print a personal API token (once; default ${DEFAULT_TOKEN_DAYS} days)
  token revoke --username U  revoke every API token of U
  grant add --username U --kind K --oid OID [--categories a,b]
                             give U an administration grant (K: central, registration_admin,
                             main_account, unit_supervisor, helpdesk)
  account import FILE.csv [--dry-run] --as U
                             import accounts with U's grants (all or nothing; errors by line)
  account export FILE.csv --as U
                             export the accounts inside U's jurisdiction (national ID masked)`;

interface Out { out(s: string): void; err(s: string): void }
/** What `account import` draws its progress bar with, when stderr is a terminal. */
interface Progress { tty: boolean; bar(done: number, total: number): string }

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

/**
 * `tessera account import FILE.csv [--dry-run] --as U` and `account export FILE.csv --as U`
 * (issue 3): acting with U's grants, exactly as U would through the pages or the API.
 * Returns 2 for anything it does not recognise, so the caller can print the usage.
 */
export async function accountCsvCommand(deps: Deps, sub: string | undefined, args: string[], io: Out & { write(file: string, data: string): void; read(file: string): string },
  progress?: Progress): Promise<number> {
  if (sub !== 'import' && sub !== 'export') return 2;
  const [file, ...rest] = args;
  const dryRun = sub === 'import' && rest.includes('--dry-run');
  const f = parseFlags(rest.filter((a) => a !== '--dry-run'));
  if (!file || file.startsWith('--') || !f?.as || Object.keys(f).length !== 1 || (sub === 'export' && rest.includes('--dry-run'))) return 2;
  const account = await findAccountByUsername(deps.db, f.as);
  if (!account || account.state === 'deleted') { io.err(`tessera: no account ${f.as}\n`); return 1; }
  const actor = await loadActor(deps, account.id);
  try {
    if (sub === 'export') {
      io.write(file, await exportAccounts(deps, actor));
      io.out(`exported to ${file}\n`);
      return 0;
    }
    let csv: string;
    try { csv = io.read(file); } catch (e) { io.err(`tessera: cannot read ${file}: ${(e as Error).message}\n`); return 1; }
    const r = await importAccounts(deps, actor, csv, { dryRun }, progress?.tty ? (done, total) => io.err(`\r${progress.bar(done, total)}`) : undefined);
    if (progress?.tty) io.err('\n');
    const t = translator('en');
    for (const e of r.errors) io.err(`${csvErrorText(t, e)}\n`);
    for (const w of r.warnings) io.err(`warning: ${csvErrorText(t, w)}\n`);
    io.out(r.errors.length ? `${dryRun ? 'dry run: ' : ''}${r.errors.length} errors; nothing imported\n`
      : `${dryRun ? 'dry run: would create' : 'created'} ${r.created.length} accounts\n`);
    return r.errors.length ? 1 : 0;
  } catch (e) {
    if (e instanceof HttpError) { io.err(`tessera: ${f.as} has no grant to ${sub === 'export' ? 'view' : 'create'} accounts\n`); return 1; }
    throw e;
  }
}
