// `tessera campaign start|status|report` (GOV-3, GOV-4, OPS-6): start a review of a definition now,
// a run's state and progress, and its stored report (CSV on stdout, SHA-256 on stderr). Without
// --as the operator acts on the whole registry; with --as U, within what U may do (as on the pages).
// Exit codes as in src/cli.ts: 0 done, 1 failed, 2 usage.
import type { Deps } from '../../platform/deps.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { findAccountByUsername } from '../../accounts/store.ts';
import { loadActor } from '../../access/actor.ts';
import { parseFlags } from '../../admin/cli.ts';
import { startAsOperator, startNow } from './definitions.ts';
import { runFor } from './review.ts';
import { campaignReport } from './signoff.ts';
import { findRun, progress, reportOf } from './store.ts';

export const CAMPAIGN_USAGE = `
  campaign start --definition ID [--as U]
                             start an account review (GOV-3) of the definition now
  campaign status --run ID [--as U]
                             a review's state and progress (decided / total)
  campaign report --run ID [--as U]
                             the signed review's report as CSV on stdout (its SHA-256 on stderr)`;

interface Out { out(s: string): void; err(s: string): void }

export async function campaignCommand(deps: Deps, sub: string | undefined, args: string[], io: Out): Promise<number> {
  const f = parseFlags(args);
  if (!f) return 2;
  const id = Number(sub === 'start' ? f.definition : f.run);
  if (!Number.isSafeInteger(id) || id < 1) return 2;
  let actor = null;
  if (f.as !== undefined) {
    const a = await findAccountByUsername(deps.db, f.as);
    if (!a) { io.err(`tessera: no account ${f.as}\n`); return 1; }
    actor = await loadActor(deps, a.id);
  }
  try {
    if (sub === 'start') {
      const r = actor ? await startNow(deps, actor, id, null) : await startAsOperator(deps, id);
      io.out(`review run ${r.runId} started: ${r.items} account${r.items === 1 ? '' : 's'} to review\n`);
      return 0;
    }
    if (sub === 'status') {
      const { run, scope } = actor ? await runFor(deps, actor, id) : { run: await findRun(deps.db, id), scope: { all: true as const } };
      if (!run) throw new HttpError(404, 'error.notFound');
      const p = await progress(deps.db, id, scope);
      io.out(`run ${run.id} "${run.name}" scope ${run.scope_oid}: ${run.state}, ${p.decided}/${p.total} decided, deadline ${run.deadline_at.toISOString()}\n`);
      return 0;
    }
    if (sub === 'report') {
      const r = actor ? await campaignReport(deps, actor, id) : await reportOf(deps.db, id).then((x) => (x?.report_csv ? { csv: '\uFEFF' + x.report_csv, sha256: x.report_sha256! } : null));
      if (!r) { io.err(`tessera: run ${id} has no report (not signed off)\n`); return 1; }
      io.out(r.csv);
      io.err(`sha256 ${r.sha256}\n`);
      return 0;
    }
  } catch (e) {
    if (e instanceof HttpError) { io.err(`tessera: ${e.status === 404 ? `no review ${id}${f.as ? ` within ${f.as}'s jurisdiction` : ''}` : e.messageKey}\n`); return 1; }
    throw e;
  }
  return 2;
}
