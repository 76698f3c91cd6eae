// GOV-3, GOV-4 sign-off (確認簽名): the signer re-enters their password (the record keeps the method
// and its evidence: the SHA-256 digest of the frozen decisions); the run is frozen (no decision
// afterwards: 409) and carried out by execute.ts — within the request while a small budget lasts,
// the rest by the campaigns.execute job; the stored report (CSV, PDF, D-06-20 form) is served here.
import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { getPassword } from '../../accounts/store.ts';
import { verifyDocumentSignature } from '../../auth/cert/service.ts';
import type { SignedAnswer } from '../../auth/cert/proof.ts';
import { executeRun } from './execute.ts';
import { runFor } from './review.ts';
import { allItems, findRun, lockOpenRun, markSigned, pdfOf, reportOf } from './store.ts';

type Item = Awaited<ReturnType<typeof allItems>>[number];

/** The digest of the frozen decisions: what the signer signs (and a certificate signature would sign). */
export const decisionsDigest = (runId: number, items: Item[]): string => crypto.createHash('sha256')
  .update(JSON.stringify({ run: runId, items: items.map((i) => [i.account_id, i.decision, i.decision_role, i.reason]) })).digest('hex');

/** How long the sign-off request itself carries decisions out before leaving the rest to the campaigns.execute job. */
export const INLINE_BUDGET_MS = 5_000;

export interface SignOffResult { runId: number; state: 'open' | 'signed' | 'executed'; executed: Record<string, number>; reportSha256: string | null; progress: { done: number; total: number } }

/**
 * 確認簽名 by password. Only an administrator who may enable and disable accounts over the whole
 * scope signs (a reviewer of part of it: 403); a wrong password is refused (422) and audited;
 * a run already signed is 409. Then the decisions are carried out and the report kept.
 */
export async function signOff(deps: Deps, actor: Actor, runId: number, password: string, ip: string | null): Promise<SignOffResult> {
  const run = await signable(deps, actor, runId);
  const stored = await getPassword(deps.db, actor.accountId);
  if (!stored || !password || !await deps.hasher.verify(stored.hash, password)) {
    const now = deps.clock.now();
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: actor.accountId, action: 'campaign.signoff', result: 'failed', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip, details: { reason: 'password_wrong' },
    }));
    throw new HttpError(422, 'campaign.passwordWrong');
  }
  return freezeAndExecute(deps, actor, run, 'password', (at) => ({ reauthenticatedAt: at.toISOString() }), ip);
}

type SignableRun = Awaited<ReturnType<typeof runFor>>['run'];

/**
 * Freezes the run (locked; its decisions' digest recorded with the method's evidence and audited)
 * and carries the decisions out. `expectedDigest`: what a certificate signed — when the decisions
 * changed since the text was composed, nothing is signed (409).
 */
async function freezeAndExecute(deps: Deps, actor: Actor, run: SignableRun, method: 'password' | 'certificate', evidence: (at: Date) => Record<string, unknown>, ip: string | null, expectedDigest?: string): Promise<SignOffResult> {
  const runId = run.id;
  const signedAt = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!await lockOpenRun(trx, runId)) throw new HttpError(409, 'campaign.closed');
    const frozen = decisionsDigest(runId, await allItems(trx, runId));
    if (expectedDigest !== undefined && expectedDigest !== frozen) throw new HttpError(409, 'campaign.decisionsChanged');
    const e = evidence(signedAt);
    await markSigned(trx, runId, { by: actor.accountId, at: signedAt, method, evidence: { decisionsSha256: frozen, ...e } });
    await audit(trx, signedAt, {
      actor: actor.accountId, action: 'campaign.signoff', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip,
      details: { method, decisionsSha256: frozen, ...(method === 'certificate' ? { certificate: e.certificate } : {}) },
    });
  });
  // Carried out after the freeze, batch by batch (each item audited by the admin use case); what
  // does not fit the request's budget goes on in the campaigns.execute job.
  const r = await executeRun(deps, runId, `signoff:${runId}:${signedAt.getTime()}`, INLINE_BUDGET_MS, ip);
  const after = (await findRun(deps.db, runId))!;
  return { runId, state: after.state, executed: r?.executed ?? {}, reportSha256: after.report_sha256, progress: { done: after.executed_items, total: after.item_count } };
}

/** The run, open, and the caller may sign it (account.state over the whole scope). */
async function signable(deps: Deps, actor: Actor, runId: number): Promise<SignableRun> {
  const { run } = await runFor(deps, actor, runId, 'account.view');
  if (run.state !== 'open') throw new HttpError(409, 'campaign.closed');
  if (!authorize(actor, 'account.state', { oid: run.scope_oid })) throw new HttpError(403, 'campaign.signScope');
  return run;
}

const SIGN_TEXT = /^tessera-certificate:sign:(\S+):campaign-run-(\d+):([0-9a-f]{64})$/;

/** The text the signer's card signs: this site, the run and the digest of its decisions as they stand now. */
export async function certificateSignText(deps: Deps, actor: Actor, runId: number): Promise<{ tbs: string; decisionsSha256: string }> {
  const run = await signable(deps, actor, runId);
  const digest = decisionsDigest(run.id, await allItems(deps.db, run.id));
  return { tbs: `tessera-certificate:sign:${new URL(deps.config.baseUrl).origin}:campaign-run-${run.id}:${digest}`, decisionsSha256: digest };
}

/**
 * 確認簽名 with the citizen certificate (AUTH-8): the card's signature (CMS or PKCS#1) over the text
 * of certificateSignText, by a certificate registered to the signer that passes the sign-in
 * pipeline. A refused signature is 422 and audited; decisions changed since the text: 409.
 */
export async function signOffByCertificate(deps: Deps, actor: Actor, runId: number, answer: SignedAnswer, ip: string | null): Promise<SignOffResult> {
  const run = await signable(deps, actor, runId);
  const m = SIGN_TEXT.exec(answer.tbs ?? '');
  const tbs = m && Number(m[2]) === run.id && m[1] === new URL(deps.config.baseUrl).origin ? m[0] : null;
  const v = tbs ? await verifyDocumentSignature(deps, actor.accountId, tbs, answer) : { ok: false as const, reason: 'cert.signature' as const };
  if (!v.ok) {
    const now = deps.clock.now();
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: actor.accountId, action: 'campaign.signoff', result: 'failed', targetType: 'campaign_run', targetId: runId, orgOid: run.scope_oid, ip, details: { method: 'certificate', reason: v.reason },
    }));
    throw new HttpError(422, 'campaign.certificateRefused');
  }
  return freezeAndExecute(deps, actor, run, 'certificate', () => ({
    signedText: tbs, format: answer.format, signature: answer.signature, ...(answer.certificate ? { signerCertificate: answer.certificate } : {}),
    certificate: v.certificate, revocation: v.revocation ?? null,
  }), ip, m![3]);
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

/** A stored PDF of an executed run — the report or the D-06-20 form — for those who may view the whole scope. */
export async function campaignPdf(deps: Deps, actor: Actor, runId: number, which: 'report' | 'form'): Promise<{ pdf: Buffer; sha256: string }> {
  const { run } = await runFor(deps, actor, runId, 'account.view');
  if (!authorize(actor, 'account.view', { oid: run.scope_oid })) throw notFound();
  const r = await pdfOf(deps.db, runId, which);
  if (!r) throw new HttpError(409, 'campaign.notExecuted');
  return r;
}
