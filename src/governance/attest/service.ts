// GOV-3 holder attestation (seed 002: all users, administrators and general users, confirm their own
// account in the half-yearly review, D-06-20): the holder sees, at sign-in on the portal, the reviews
// that ask them; confirms their account, unit and roles as listed, or reports what is wrong (a note
// is then required). Only their own item of an open review; audited; the reviewer sees the answer.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { openAttestations, owedCount, recordAttestation } from './store.ts';

export const NOTE_MAX = 1000;

export const attestationsOf = (deps: Deps, accountId: number) => openAttestations(deps.db, accountId);
export const attestationsOwed = (deps: Deps, accountId: number) => owedCount(deps.db, accountId);

export async function attest(deps: Deps, accountId: number, runId: number, a: { answer: string; note?: string }, ip: string | null): Promise<void> {
  if (a.answer !== 'confirmed' && a.answer !== 'reported') throw new HttpError(422, 'attest.chooseAnswer');
  const note = (a.note ?? '').trim();
  if (a.answer === 'reported' && !note) throw new HttpError(422, 'attest.noteRequired');
  if (note.length > NOTE_MAX) throw new HttpError(422, 'attest.noteRequired');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const r = await recordAttestation(trx, runId, accountId, { answer: a.answer as 'confirmed' | 'reported', note: note || null, at: now });
    // Not the holder's review, or no longer open: nothing to answer.
    if (!r) throw notFound();
    await audit(trx, now, {
      actor: accountId, action: 'campaign.attest', targetType: 'campaign_run', targetId: runId, orgOid: r.scope_oid, ip,
      details: { answer: a.answer, note: note || null },
    });
  });
}
