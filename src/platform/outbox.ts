// The outbox of mail, SMS, back-channel logout and SCIM push (OPS-3, SSO-2, SSO-6). A message is a row written in the transaction of the action that
// causes it, so an action that rolls back sends nothing and a committed one is never lost. Workers
// claim due rows with a lease (UPDATE … FOR UPDATE SKIP LOCKED), so several instances never send
// one row twice; failures are retried with exponential backoff. Every channel shares the table,
// the lease and the backoff; a row waits until an instance has a sender for its channel. The
// back-channel sender comes from single sign-on (src/sso), given by the composition root. Logs name
// row ids and channels only: no recipients, no bodies.
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';
import type { RenderedMail } from './mail-render.ts';
import { httpSmsSender, type SmsSender } from './sms.ts';
import {
  claimDueMessages, deleteFinishedMessagesBefore, insertOutboxMessage, markMessageFailed, markMessageSent,
  type Channel, type ClaimedMessage,
} from './outbox-store.ts';

export const MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 30_000;
/** Longer than one send can take (the SMTP timeouts below), so a lease never lapses mid-send. */
export const LEASE_MS = 5 * 60_000;
const BATCH = 10;
/** Delivered and abandoned mail holds personal data: it is deleted after this long. */
export const RETENTION_MS = 30 * 86_400_000;
/** A nudge waits this long so that the enqueuing transaction has usually committed. */
const NUDGE_DELAY_MS = 50;

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'outboxPollMs'> & Partial<Pick<Config, 'sms'>>;
}

export interface OutgoingMail { from: string; to: string; subject: string; text: string; html?: string; messageId?: string }

/**
 * The Message-ID of an outbox row (issue 15): the same on every attempt, so a receiver can drop
 * the copy a crash between the SMTP transaction and marking the row sent causes (at least once
 * across a crash; exactly once per Message-ID).
 */
export function outboxMessageId(m: { id: number; created_at: Date }, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'tessera.invalid';
  return `<outbox-${m.id}.${new Date(m.created_at).getTime().toString(36)}@${domain}>`;
}
export interface MailSender { send(m: OutgoingMail): Promise<void>; close(): void }
/** Tells one system that a user left (SSO-2): `recipient` is its client id, `body` what enqueueBackchannelLogout wrote. */
export interface BackchannelSender { send(m: { recipient: string; body: string }): Promise<void>; close(): void }
/** Pushes one change to a system's SCIM endpoint (SSO-6): `recipient` is the push target, `body` what the database trigger wrote. */
export interface ScimPushSender { send(m: { recipient: string; body: string }): Promise<void>; close(): void }
/** The senders an instance has; rows of a channel without one stay in the outbox for another instance. */
export interface Senders { mail?: MailSender; sms?: SmsSender; backchannel?: BackchannelSender; scim?: ScimPushSender }

/** Delay before attempt `attempts + 1`, after `attempts` failed ones: 30 s, 1 min, 2 min, … */
export const backoffMs = (attempts: number): number => BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1);

// In-process signal from enqueueRenderedMail and enqueueSms to this process's workers; other instances poll.
const nudgeListeners = new Set<() => void>();
export function nudgeOutbox(): void { for (const l of nudgeListeners) l(); }

/** Writes a rendered mail in the caller's transaction (capabilities call src/mail-templates.ts's enqueueMail). Returns the row id. */
export async function enqueueRenderedMail(trx: Db, now: Date, r: RenderedMail & { to: string }): Promise<number> {
  const id = await insertOutboxMessage(trx, now, { channel: 'mail', recipient: r.to, subject: r.subject, body_text: r.text, body_html: r.html });
  nudgeOutbox();
  return id;
}

/** Writes a text message in the caller's transaction (mobile as stored, 09xx-xxxxxx). Returns the row id. */
export async function enqueueSms(trx: Db, now: Date, m: { to: string; text: string }): Promise<number> {
  const id = await insertOutboxMessage(trx, now, { channel: 'sms', recipient: m.to, subject: '', body_text: m.text, body_html: null });
  nudgeOutbox();
  return id;
}

/** Writes a back-channel logout for one system (its client id) in the caller's transaction, or alone. */
export async function enqueueBackchannelLogout(db: Db, now: Date, m: { clientId: string; sub: string; sid: string }): Promise<number> {
  const id = await insertOutboxMessage(db, now, { channel: 'backchannel', recipient: m.clientId, subject: '', body_text: JSON.stringify({ sub: m.sub, sid: m.sid }), body_html: null });
  nudgeOutbox();
  return id;
}

export function smtpSender(smtpUrl: string): MailSender {
  // nodemailer's default socket timeout is 10 minutes; these keep every send well inside LEASE_MS.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return { send: async (m) => { await transport.sendMail(m); }, close: () => transport.close() };
}

/** What is kept of a failure: codes and the server's words, with any address blanked out. */
function describeError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string; cause?: { code?: string } };
  // fetch (the SMS gateway) reports "fetch failed" with the network error's code in `cause`.
  const text = [e.code, e.responseCode, e.message ?? String(err), e.cause?.code].filter((x) => x !== undefined && x !== '').join(' ');
  // Runs of 8+ digits (with the dashes of 09xx-xxxxxx) are phone numbers: blanked too.
  return text.replace(/[^\s<>"',;:]+@[^\s<>"',;:]+/g, '<address>').replace(/\+?\d[\d-]{7,}\d/g, '<number>').slice(0, 500);
}

async function deliver(deps: OutboxDeps, senders: Senders, m: ClaimedMessage): Promise<void> {
  try {
    if (m.channel === 'sms') await senders.sms!.send({ to: m.recipient, text: m.body_text });
    else if (m.channel === 'backchannel') await senders.backchannel!.send({ recipient: m.recipient, body: m.body_text });
    else if (m.channel === 'scim') await senders.scim!.send({ recipient: m.recipient, body: m.body_text });
    else await senders.mail!.send({ from: deps.config.mailFrom, to: m.recipient, subject: m.subject, text: m.body_text, html: m.body_html ?? undefined, messageId: outboxMessageId(m, deps.config.mailFrom) });
    await markMessageSent(deps.db, m.id, deps.clock.now());
    deps.log.info({ outboxId: m.id, channel: m.channel, attempts: m.attempts }, `${m.channel} sent`);
  } catch (err) {
    const now = deps.clock.now();
    const giveUp = m.attempts >= MAX_ATTEMPTS;
    await markMessageFailed(deps.db, m.id, describeError(err), giveUp ? null : new Date(now.getTime() + backoffMs(m.attempts)));
    const e = err as { code?: string; responseCode?: number; status?: number };
    deps.log.warn({ outboxId: m.id, channel: m.channel, attempts: m.attempts, code: e.code, responseCode: e.responseCode ?? e.status, gaveUp: giveUp }, `${m.channel} delivery failed`);
  }
}

const channelsOf = (s: Senders): Channel[] => (['mail', 'sms', 'backchannel', 'scim'] as const).filter((c) => s[c] !== undefined);

/** Sends everything due now with `senders` (a MailSender alone: mail only); returns how many rows were tried. */
export async function drainWith(deps: OutboxDeps, senders: MailSender | Senders): Promise<number> {
  const s: Senders = 'send' in senders ? { mail: senders } : senders;
  const channels = channelsOf(s);
  if (channels.length === 0) return 0;
  let tried = 0;
  for (;;) {
    const now = deps.clock.now();
    const batch = await claimDueMessages(deps.db, now, new Date(now.getTime() + LEASE_MS), BATCH, channels);
    if (batch.length === 0) return tried;
    for (const m of batch) await deliver(deps, s, m);
    tried += batch.length;
  }
}

/** The senders this configuration has: SMTP for mail, the HTTP gateway for SMS. */
export function configuredSenders(config: OutboxDeps['config']): Senders {
  return {
    ...(config.smtpUrl ? { mail: smtpSender(config.smtpUrl) } : {}),
    ...(config.sms ? { sms: httpSmsSender(config.sms) } : {}),
  };
}

const closeAll = (s: Senders) => { s.mail?.close(); s.sms?.close(); s.backchannel?.close(); s.scim?.close(); };

/** Processes everything due now over SMTP_URL and the SMS gateway and waits for it (tests, CLI). Neither → nothing. */
export async function drainOutbox(deps: OutboxDeps): Promise<number> {
  const senders = configuredSenders(deps.config);
  try { return await drainWith(deps, senders); } finally { closeAll(senders); }
}

export async function purgeOutbox(db: Db, now: Date): Promise<number> {
  return deleteFinishedMessagesBefore(db, new Date(now.getTime() - RETENTION_MS));
}

export interface OutboxWorker { stop(): Promise<void> }

/**
 * Polls every `outboxPollMs` and right after an enqueue in this process, with the configured mail
 * and SMS senders plus `extra` ones (back-channel logout). Without any sender, or with a poll
 * interval of 0, it does nothing and messages wait in the outbox.
 */
export function startOutboxWorker(deps: OutboxDeps, extra: Senders = {}): OutboxWorker {
  const { outboxPollMs } = deps.config;
  const sender = { ...configuredSenders(deps.config), ...extra };
  if (channelsOf(sender).length === 0 || outboxPollMs === 0) { closeAll(sender); return { stop: async () => {} }; }
  let stopped = false, again = false, lastPurge = 0;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined, nudgeTimer: NodeJS.Timeout | undefined;

  const cycle = async () => {
    await drainWith(deps, sender);
    const now = deps.clock.now().getTime();
    if (now - lastPurge > 3_600_000) { lastPurge = now; await purgeOutbox(deps.db, deps.clock.now()); }
  };
  const run = () => {
    if (stopped) return;
    if (running) { again = true; return; }
    clearTimeout(timer);
    running = cycle().catch((err) => deps.log.error({ err }, 'outbox worker cycle failed')).finally(() => {
      running = null;
      if (again) { again = false; run(); } else if (!stopped) timer = setTimeout(run, outboxPollMs);
    });
  };
  const onNudge = () => { if (!nudgeTimer && !stopped) nudgeTimer = setTimeout(() => { nudgeTimer = undefined; run(); }, NUDGE_DELAY_MS); };
  nudgeListeners.add(onNudge);
  run();
  return {
    stop: async () => {
      stopped = true;
      nudgeListeners.delete(onNudge);
      clearTimeout(timer);
      clearTimeout(nudgeTimer);
      await running;
      closeAll(sender);
    },
  };
}
