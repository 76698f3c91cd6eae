// GOV-3, GOV-4 sign-off (確認簽名): the signer re-enters their password (the record keeps the method
// and its evidence, so a citizen-certificate signature over the same digest can be added later);
// the run is frozen (no decision afterwards: 409), then every item is carried out through the
// administrators' own use cases — disable (setAccountState), delete (deleteAccounts), role removal
// (setRoles) — each audited by them as the signer's action, unanswered items by the definition's
// default; the report (formula-safe CSV) is stored with its SHA-256, which the audit event carries.
import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { toCsv } from '../../platform/csv.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { formatTime } from '../../platform/web/format.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { getPassword } from '../../accounts/store.ts';
import { deleteAccounts, setAccountState } from '../../admin/account-actions.ts';
import { roleChoices, setRoles } from '../../admin/role-assignment.ts';
import { effectOf, type Effect } from './rules.ts';
import { runFor } from './review.ts';
import { allItems, lockOpenRun, markSigned, reportOf, setOutcomes, storeReport } from './store.ts';

type Item = Awaited<ReturnType<typeof allItems>>[number];

/** The digest of the frozen decisions: what the signer signs (and a certificate signature would sign). */
export const decisionsDigest = (runId: number, items: Item[]): string => crypto.createHash('sha256')
  .update(JSON.stringify({ run: runId, items: items.map((i) => [i.account_id, i.decision, i.decision_role, i.reason]) })).digest('hex');

/** Carries one item out through the administrators' use case; the outcome recorded in the report. */
async function carryOut(deps: Deps, signer: Actor, i: Item, effect: Effect, ip: string | null): Promise<string> {
  try {
    if (effect === 'unchanged') return 'unchanged';
    if (effect === 'disable') {
      const r = await setAccountState(deps, signer, i.account_id, 'disabled', ip);
      return r.ok ? 'disabled' : `failed: ${r.error}`;
    }
    if (effect === 'delete') {
      const r = await deleteAccounts(deps, signer, [i.account_id], ip);
      return r.ok ? 'deleted' : `failed: ${r.error}`;
    }
    const role = i.decision_role!;
    const { grantable } = await roleChoices(deps, signer, i.account_id);
    const mine = grantable.find((r) => r.code === role);
    if (!mine) return 'failed: role not grantable by the signer';
    if (!mine.held) return 'unchanged';
    await setRoles(deps, signer, i.account_id, grantable.filter((r) => r.held && r.code !== role).map((r) => r.code), ip);
    return 'role_removed';
  } catch (e) {
    // The account left the signer's jurisdiction or was deleted since the snapshot: recorded, not fatal.
    if (e instanceof HttpError) return `failed: ${e.messageKey}`;
    throw e;
  }
}

export const REPORT_COLUMNS = ['username', 'name', 'unit_oid', 'unit_name', 'state', 'roles', 'admin_grants', 'last_sign_in', 'inactive',
  'recommendation', 'decision', 'role', 'reason', 'decided_by', 'decided_at', 'applied', 'outcome'] as const;

export function reportCsv(items: (Item & { effect: Effect })[]): string {
  const t = (d: Date | null) => (d ? formatTime(d, 'zh-TW') : '');
  return toCsv(items.map((i) => {
    const last = [i.last_password_at, i.last_certificate_at, i.last_passkey_at].filter((x): x is Date => x !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    return {
      username: i.username, name: i.name, unit_oid: i.unit_oid, unit_name: i.unit_name ?? '', state: i.state, roles: i.roles.join(' '),
      admin_grants: i.grants.join(' '), last_sign_in: last ? t(last) : 'never', inactive: i.inactive ? 'yes' : 'no', recommendation: i.recommendation,
      decision: i.decision ?? 'none', role: i.decision_role ?? '', reason: i.reason ?? '', decided_by: i.decider_name ?? '', decided_at: t(i.decided_at),
      applied: i.decision ? (i.decision === 'keep' ? 'unchanged' : i.decision) : `default: ${i.effect}`, outcome: i.outcome ?? '',
    };
  }), REPORT_COLUMNS);
}

export interface SignOffResult { runId: number; executed: Record<string, number>; reportSha256: string }

/**
 * 確認簽名 by password. Only an administrator who may enable and disable accounts over the whole
 * scope signs (a reviewer of part of it: 403); a wrong password is refused (422) and audited;
 * a run already signed is 409. Then the decisions are carried out and the report kept.
 */
export async function signOff(deps: Deps, actor: Actor, runId: number, password: string, ip: string | null): Promise<SignOffResult> {
  const { run } = await runFor(deps, actor, runId, 'account.view');
  if (run.state !== 'open') throw new HttpError(409, 'campaign.closed');
  if (!authorize(actor, 'account.state', { oid: run.scope_oid })) throw new HttpError(403, 'campaign.signScope');
  const stored = await getPassword(deps.db, actor.accountId);
  if (!stored || !password || !await deps.hasher.verify(stored.hash, password)) {
    const now = deps.clock.now();
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: actor.accountId, action: 'campaign.signoff', result: 'failed', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip, details: { reason: 'password_wrong' },
    }));
    throw new HttpError(422, 'campaign.passwordWrong');
  }
  const signedAt = deps.clock.now();
  const digest = await deps.db.transaction().execute(async (trx) => {
    if (!await lockOpenRun(trx, runId)) throw new HttpError(409, 'campaign.closed');
    const frozen = decisionsDigest(runId, await allItems(trx, runId));
    await markSigned(trx, runId, { by: actor.accountId, at: signedAt, method: 'password', evidence: { decisionsSha256: frozen, reauthenticatedAt: signedAt.toISOString() } });
    await audit(trx, signedAt, {
      actor: actor.accountId, action: 'campaign.signoff', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip, details: { method: 'password', decisionsSha256: frozen },
    });
    return frozen;
  });
  // Carried out after the freeze, item by item through the administrators' use cases (each audited).
  const items = await allItems(deps.db, runId);
  const executed: Record<string, number> = {};
  const outcomes: { accountId: number; outcome: string }[] = [];
  const withEffect = [];
  for (const i of items) {
    const effect = effectOf(i.decision, run.default_action, i.recommendation);
    const outcome = await carryOut(deps, actor, i, effect, ip);
    const key = outcome.startsWith('failed') ? 'failed' : outcome;
    executed[key] = (executed[key] ?? 0) + 1;
    outcomes.push({ accountId: i.account_id, outcome });
    withEffect.push({ ...i, effect, outcome });
  }
  const csv = reportCsv(withEffect);
  const sha = crypto.createHash('sha256').update(csv, 'utf8').digest('hex');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await setOutcomes(trx, runId, outcomes);
    // Stored without the BOM (PGlite drops a leading one), served with it: the hash is of the file served.
    await storeReport(trx, runId, csv.replace(/^\uFEFF/, ''), sha, now);
    await audit(trx, now, {
      actor: actor.accountId, action: 'campaign.execute', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip,
      details: { reportSha256: sha, decisionsSha256: digest, items: items.length, executed },
    });
  });
  return { runId, executed, reportSha256: sha };
}

/** The stored report of an executed run the caller sees (account.view scope). */
export async function campaignReport(deps: Deps, actor: Actor, runId: number): Promise<{ csv: string; sha256: string }> {
  const { run } = await runFor(deps, actor, runId, 'account.view');
  // The report lists the whole scope: only for those who may view all of it.
  if (!authorize(actor, 'account.view', { oid: run.scope_oid })) throw notFound();
  const r = await reportOf(deps.db, runId);
  if (!r?.report_csv || !r.report_sha256) throw new HttpError(409, 'campaign.notExecuted');
  return { csv: '\uFEFF' + r.report_csv, sha256: r.report_sha256 };
}
