// `tessera inactivity list|run` (GOV-2, OPS-6): the inactive accounts as CSV on stdout (the whole
// registry, or what --as U may see), and the `inactivity.sweep` job run now, recorded as a manual
// run beside the scheduled ones. Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../../platform/deps.ts';
import { toCsv } from '../../platform/csv.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { findAccountByUsername } from '../../accounts/store.ts';
import { loadActor } from '../../access/actor.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { parseFlags } from '../../admin/cli.ts';
import { runJobNow } from '../jobs/scheduler.ts';
import { jobNamed } from '../jobs/table.ts';
import { INACTIVITY_CSV_COLUMNS, csvRows, inactiveAccounts } from './service.ts';

export const INACTIVITY_USAGE = `
  inactivity list [--unit OID] [--used never|used] [--as U]
                             the inactive accounts (GOV-2) as CSV: the whole registry, or U's jurisdiction
  inactivity run             run the inactivity sweep now (notices, automatic disabling)`;

interface Out { out(s: string): void; err(s: string): void }

export async function inactivityCommand(deps: Deps, sub: string | undefined, args: string[], io: Out): Promise<number> {
  const f = parseFlags(args);
  if (!f) return 2;
  if (sub === 'list') {
    if (f.unit !== undefined && !isValidOid(f.unit)) { io.err(`tessera: not a valid OID: ${f.unit}\n`); return 1; }
    if (f.used !== undefined && f.used !== 'never' && f.used !== 'used') return 2;
    let actor = null;
    if (f.as !== undefined) {
      const a = await findAccountByUsername(deps.db, f.as);
      if (!a) { io.err(`tessera: no account ${f.as}\n`); return 1; }
      actor = await loadActor(deps, a.id);
    }
    try {
      const r = await inactiveAccounts(deps, actor, { unit: f.unit, used: f.used as 'never' | 'used' | undefined, page: 1, pageSize: 1_000_000 });
      io.out(toCsv(csvRows(r.items), INACTIVITY_CSV_COLUMNS));
      io.err(`${r.total} inactive account${r.total === 1 ? '' : 's'}\n`);
      return 0;
    } catch (e) {
      if (e instanceof HttpError) { io.err(`tessera: ${f.as} may not view accounts\n`); return 1; }
      throw e;
    }
  }
  if (sub === 'run' && args.length === 0) {
    const r = await runJobNow(deps, jobNamed('inactivity.sweep')!);
    if (r.status === 'failed') { io.err(`tessera: inactivity sweep failed (run ${r.runId}): ${r.error}\n`); return 1; }
    io.out(`inactivity sweep (run ${r.runId}): ${r.counts?.noticed ?? 0} noticed, ${r.counts?.disabled ?? 0} disabled\n`);
    return 0;
  }
  return 2;
}
