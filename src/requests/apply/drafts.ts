// Drafts: the server-side state of an application between its pages (REQ-1). The browser holds
// only an opaque token (cookie, path /apply); the row holds its HMAC and the applicant's data
// sealed with the keyring. An expired draft is never read, and the sweep deletes it together with
// its codes and the outbox messages that carried them, so an abandoned application leaves nothing.
import type { Db } from '../../db/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { randomToken } from '../../platform/crypto.ts';
import type { Lang } from '../../platform/web/messages.ts';
import type { DraftRow } from './tables.ts';
import type { OtpChannel } from './otp.ts';
import { draftExpiry, DRAFT_MAX_MS } from './rules.ts';
import { SEND_WINDOW_MS } from './otp.ts';
import { sweepLookupCounters } from './lookup-limit.ts';
import {
  deleteDraftCodeMessages, deleteDraftRow, deleteEndedSendCounters, deleteExpiredDraftCodeMessages, deleteExpiredDrafts,
  findLiveDraft, insertDraft, setDraftExpiry, updateDraftData,
} from './draft-store.ts';

export const DRAFT_COOKIE = 'tessera_apply';
export const DRAFT_COOKIE_PATH = '/apply';
export const DRAFT_COOKIE_MAX_AGE_S = DRAFT_MAX_MS / 1000;

/** What the applicant typed so far (sealed in data_enc). */
export interface DraftData {
  lang: Lang;
  name: string;
  email: string;
  mobile: string;
  /** contact kind: the channel chosen for the code. */
  channel?: OtpChannel;
  /** After the profile step (new kind). */
  profile?: Record<string, string>;
  username?: string;
  passwordHash?: string;
}

export interface Draft { row: DraftRow; data: DraftData }

const tokenHash = (deps: Deps, token: string) => deps.keyring.mac('application-draft', token);

export async function createDraft(trx: Db, deps: Deps, now: Date, d: { kind: 'new' | 'contact'; orgOid: string; contactAccountId: number | null; data: DraftData }): Promise<{ id: number; token: string }> {
  const token = randomToken();
  const id = await insertDraft(trx, {
    token_hash: tokenHash(deps, token), kind: d.kind, org_oid: d.orgOid, contact_account_id: d.contactAccountId,
    data_enc: deps.keyring.encrypt(JSON.stringify(d.data)), created_at: now, expires_at: draftExpiry(now, now),
  });
  return { id, token };
}

/** The live draft of a cookie's token, of the given kind, or undefined. */
export async function loadDraft(deps: Deps, token: string | undefined, kind: 'new' | 'contact'): Promise<Draft | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await findLiveDraft(deps.db, tokenHash(deps, token), kind, deps.clock.now());
  if (!row) return undefined;
  return { row, data: JSON.parse(deps.keyring.decrypt(row.data_enc)) as DraftData };
}

/** Writes the draft's data and slides its expiry (each step keeps it alive, up to the maximum). */
export async function saveDraft(trx: Db, deps: Deps, draft: Draft, data: DraftData, now: Date): Promise<void> {
  await updateDraftData(trx, draft.row.id, deps.keyring.encrypt(JSON.stringify(data)), draftExpiry(draft.row.created_at, now));
}

export async function touchDraft(trx: Db, draft: Draft, now: Date): Promise<void> {
  await setDraftExpiry(trx, draft.row.id, draftExpiry(draft.row.created_at, now));
}

/** Deletes one draft, its codes (cascade) and their messages; 0 when it was already gone (a parallel request took it). */
export async function deleteDraft(trx: Db, id: number): Promise<number> {
  await deleteDraftCodeMessages(trx, id);
  return deleteDraftRow(trx, id);
}

/**
 * Deletes every expired draft with its codes and their messages, and send counters whose window
 * has ended. Run on every new draft (an index range on expires_at): no separate job is needed.
 */
export async function sweepDrafts(trx: Db, now: Date): Promise<number> {
  await deleteExpiredDraftCodeMessages(trx, now);
  const deleted = await deleteExpiredDrafts(trx, now);
  await deleteEndedSendCounters(trx, new Date(now.getTime() - SEND_WINDOW_MS));
  await sweepLookupCounters(trx, now);
  return deleted;
}
