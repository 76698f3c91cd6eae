// Citizen-certificate use cases (AUTH-8, ACC-6, ADM-5, GOV-1): one-time challenges, sign-in by a
// card's signature or by a TLS client certificate the reverse proxy forwards, registration
// (憑證註冊), listing and removal. Sign-in starts a session exactly as a password or passkey sign-in
// does (createSession: acr/amr follow from the 'certificate' method) and stamps
// last_certificate_login_at; every attempt is audited with its reason and revocation source.
import type { Deps } from '../../platform/deps.ts';
import { audit } from '../../platform/audit.ts';
import { randomToken, sha256 } from '../../platform/crypto.ts';
import { defaultPolicy, type Policy } from '../../orgs/policy.ts';
import { effectivePolicyFor } from '../../orgs/store.ts';
import type { ActiveSession } from '../sessions.ts';
import { createSession } from '../sessions.ts';
import { endSession } from '../session-store.ts';
import { claimChallenge, storeChallenge } from '../challenges.ts';
import { evaluateThrottle, ipKey, readThrottles, recordFailure, usernameKey } from '../throttle.ts';
import { runChecks, type CertAttempt, type CertRefusal } from './checks/index.ts';
import { challengeText, parseChallengeText, verifyProof, type SignedAnswer } from './proof.ts';
import { graceEnds } from '../login-method.ts';
import { activationAndCertificate, bindingsOf, deleteBinding, insertBinding, noteDistributionPoint, touchBinding, type BindingRow } from './store.ts';

const IP_WINDOW_MS = 15 * 60_000;
/** The cookie that binds a certificate sign-in ceremony to the browser that asked for its challenge. */
export const CERT_LOGIN_COOKIE = 'tessera_cert';

const loginBinding = (cookie: string) => sha256('cert-login:' + cookie);
const registerBinding = (s: ActiveSession) => sha256('cert-register:' + s.idHash);
const origin = (deps: Deps) => new URL(deps.config.baseUrl).origin;

export const certificateAllowed = (p: Policy) => p['login.certificate'] || p['login.certificateRequired'];

/** A challenge for the card to sign: sign-in (bound to a new ceremony cookie) or registration (bound to the session). */
export async function issueChallenge(deps: Deps, purpose: 'login', s?: undefined): Promise<{ tbs: string; cookie: string }>;
export async function issueChallenge(deps: Deps, purpose: 'register', s: ActiveSession): Promise<{ tbs: string; cookie?: undefined }>;
export async function issueChallenge(deps: Deps, purpose: 'login' | 'register', s?: ActiveSession): Promise<{ tbs: string; cookie?: string }> {
  const nonce = randomToken(32);
  if (purpose === 'register') {
    await storeChallenge(deps, 'cert-register', registerBinding(s!), nonce, s!.accountId);
    return { tbs: challengeText('register', origin(deps), nonce) };
  }
  const cookie = randomToken();
  await storeChallenge(deps, 'cert-login', loginBinding(cookie), nonce, null);
  return { tbs: challengeText('login', origin(deps), nonce), cookie };
}

/** Verifies the card's answer and takes its challenge (single use); the certificate it carried, or why not. */
async function provePossession(deps: Deps, purpose: 'login' | 'register', bindingHash: string, answer: SignedAnswer, now: Date):
  Promise<{ ok: true; der: Uint8Array } | { ok: false; reason: CertRefusal }> {
  const proof = await verifyProof(answer);
  if (!proof.ok) return { ok: false, reason: 'cert.signature' };
  const c = parseChallengeText(proof.tbs);
  if (!c || c.purpose !== purpose) return { ok: false, reason: 'cert.signature' };
  const claimed = await claimChallenge(deps, purpose === 'login' ? 'cert-login' : 'cert-register', bindingHash, c.nonce, now);
  if (!claimed) return { ok: false, reason: 'cert.challengeReused' };
  if (claimed.expired) return { ok: false, reason: 'cert.challengeExpired' };
  if (c.origin !== origin(deps)) return { ok: false, reason: 'cert.challengeOrigin' };
  return { ok: true, der: proof.certificate };
}

export type CertLoginOutcome =
  | { ok: true; sessionToken: string; accountId: number }
  | { ok: false; reason: CertRefusal | 'ip_limited' | 'disabled' | 'not_allowed' | 'locked' };

/** Refusals about the certificate itself are told as they are; those about an account read the same. */
export const NEUTRAL: ReadonlySet<string> = new Set(['cert.notRegistered', 'disabled', 'not_allowed', 'locked', 'cert.disabledByPolicy']);

/** `replaces`: the id hash of the browser's current session (a step-up, SSO-2): ended when the new one starts. */
export async function certificateLogin(deps: Deps, input: { cookie?: string; answer?: SignedAnswer; tlsCertificate?: Uint8Array; untrustedProxy?: boolean; ip: string; replaces?: string }): Promise<CertLoginOutcome> {
  const now = deps.clock.now();
  const ipk = ipKey(deps.keyring, input.ip);
  const a: CertAttempt = { deps, now, purpose: 'login', der: new Uint8Array(), policy: defaultPolicy() };
  const via = input.tlsCertificate ? 'tls' : 'signature';
  const fail = async (reason: Exclude<CertLoginOutcome, { ok: true }>['reason']): Promise<CertLoginOutcome> => {
    const proofFailure = reason === 'cert.signature' || reason.startsWith('cert.challenge');
    if (proofFailure) await recordFailure(deps.db, ipk, now, deps.config.ipLoginLimit, IP_WINDOW_MS, IP_WINDOW_MS);
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: a.account?.id ?? null, action: 'auth.login.certificate', result: proofFailure ? 'failed' : 'denied',
      targetType: 'account', targetId: a.account?.id, orgOid: a.account?.unit_oid ?? null, ip: input.ip,
      details: { reason, method: 'certificate', via, serial: a.info?.serial, issuerKeyId: a.issuer?.subject_key_id, revocation: a.revocation },
    }));
    return { ok: false, reason };
  };
  const throttles = await readThrottles(deps.db, [ipk]);
  if (evaluateThrottle(throttles.get(ipk), now, IP_WINDOW_MS).lockedUntil) return fail('ip_limited');
  // A client certificate in the header of a request that did not come from a listed proxy: anyone could have written it.
  if (input.untrustedProxy) return fail('cert.untrustedProxy');
  if (input.tlsCertificate) a.der = input.tlsCertificate;
  else {
    if (!input.cookie || !input.answer) return fail('cert.challengeReused');
    const p = await provePossession(deps, 'login', loginBinding(input.cookie), input.answer, now);
    if (!p.ok) return fail(p.reason);
    a.der = p.der;
  }
  const refused = await runChecks(a);
  if (refused) return fail(refused);
  const account = a.account!, binding = a.binding!;
  if (account.state === 'disabled') return fail('disabled');
  if (account.state !== 'enabled') return fail('not_allowed');
  if (!certificateAllowed(a.policy)) return fail('cert.disabledByPolicy');
  const userKey = usernameKey(deps.keyring, account.username_norm);
  if (evaluateThrottle((await readThrottles(deps.db, [userKey])).get(userKey), now, deps.config.lockoutMinutes * 60_000).lockedUntil) return fail('locked');
  const token = await deps.db.transaction().execute(async (trx) => {
    await touchBinding(trx, binding.id, now);
    if (input.replaces) await endSession(trx, input.replaces);
    const t = await createSession(trx, now, account.id, a.policy, 'certificate', false, account.last_certificate_login_at, 'last_certificate_login_at');
    await audit(trx, now, {
      actor: account.id, action: 'auth.login.certificate', result: 'ok', targetType: 'account', targetId: account.id, orgOid: account.unit_oid, ip: input.ip,
      details: { method: 'certificate', via, stepUp: Boolean(input.replaces), certificate: binding.id, serial: binding.serial, issuerKeyId: binding.issuer_key_id, revocation: a.revocation },
    });
    return t;
  });
  return { ok: true, sessionToken: token, accountId: account.id };
}

export type RegisterOutcome = { ok: true; id: number } | { ok: false; reason: CertRefusal };

/** 憑證註冊: the signed-in user binds the card that signed the registration challenge. */
export async function registerCertificate(deps: Deps, s: ActiveSession, answer: SignedAnswer, ip: string): Promise<RegisterOutcome> {
  const now = deps.clock.now();
  const { policy } = await effectivePolicyFor(deps.db, s.unitOid);
  const a: CertAttempt = { deps, now, purpose: 'register', der: new Uint8Array(), policy, accountId: s.accountId };
  const refuse = async (reason: CertRefusal): Promise<RegisterOutcome> => {
    await deps.db.transaction().execute(async (trx) => {
      // A trusted issuer whose CRL has never been fetched: its certificates name where it is published,
      // and the CRL job fetches it from there on its next run.
      const dp = a.info?.crlUrls.find((u) => /^https?:/.test(u));
      if (reason === 'cert.revocationUnknown' && a.issuer && dp && !a.issuer.crl_url && !a.issuer.crl_dp) await noteDistributionPoint(trx, a.issuer.subject_key_id, dp);
      await audit(trx, now, {
        actor: s.accountId, action: 'auth.certificate.register', result: 'denied', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip,
        details: { reason, serial: a.info?.serial, issuerKeyId: a.issuer?.subject_key_id, revocation: a.revocation },
      });
    });
    return { ok: false, reason };
  };
  if (!certificateAllowed(policy)) return refuse('cert.disabledByPolicy');
  const p = await provePossession(deps, 'register', registerBinding(s), answer, now);
  if (!p.ok) return refuse(p.reason);
  a.der = p.der;
  const refused = await runChecks(a);
  if (refused) return refuse(refused);
  const c = a.info!;
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await insertBinding(trx, {
      account_id: s.accountId, issuer_key_id: a.issuer!.subject_key_id, serial: c.serial, subject_key_id: c.subjectKeyId, thumbprint: c.thumbprint,
      issuer: c.issuer, common_name: c.commonName, not_after: c.notAfter, created_at: now,
    });
    if (id) {
      const dp = c.crlUrls.find((u) => /^https?:/.test(u));
      if (dp) await noteDistributionPoint(trx, a.issuer!.subject_key_id, dp);
      await audit(trx, now, {
        actor: s.accountId, action: 'auth.certificate.register', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip,
        details: { certificate: id, serial: c.serial, issuerKeyId: a.issuer!.subject_key_id, notAfter: c.notAfter.toISOString(), revocation: a.revocation },
      });
    }
    return id;
  });
  return id ? { ok: true, id } : refuse('cert.otherAccount');
}

/**
 * AUTH-9: where the card is required and none is registered yet, until when a password still
 * serves to register one (the home page says so); null otherwise.
 */
export async function certificateDueBy(deps: Deps, accountId: number, unitOid: string): Promise<Date | null> {
  const { policy } = await effectivePolicyFor(deps.db, unitOid);
  if (!policy['login.certificateRequired']) return null;
  const r = await activationAndCertificate(deps.db, accountId);
  if (!r || r.has_certificate) return null;
  return graceEnds(policy, r.activated_at) ?? graceEnds(policy, deps.clock.now());
}

/** SSO-2 step-up: whether the account's policy lets it sign in with a certificate. */
export async function certificateStepUpPossible(deps: Deps, unitOid: string): Promise<boolean> {
  return certificateAllowed((await effectivePolicyFor(deps.db, unitOid)).policy);
}

export async function listCertificates(deps: Deps, accountId: number): Promise<BindingRow[]> {
  return bindingsOf(deps.db, accountId);
}

/** Removes one certificate of `account` (by the user, or an administrator authorised first); audited. */
export async function removeCertificate(deps: Deps, actorId: number, account: { id: number; unit_oid: string }, bindingId: number, ip: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const gone = await deleteBinding(trx, account.id, bindingId);
    if (!gone) return false;
    await audit(trx, now, {
      actor: actorId, action: 'auth.certificate.remove', targetType: 'account', targetId: account.id, orgOid: account.unit_oid, ip,
      details: { certificate: bindingId, serial: gone.serial, issuerKeyId: gone.issuer_key_id },
    });
    return true;
  });
}

export type DocumentSignature =
  | { ok: true; certificate: { serial: string; issuerKeyId: string; thumbprint: string; commonName: string }; revocation?: CertAttempt['revocation'] }
  | { ok: false; reason: CertRefusal };

/**
 * A card's signature over a document text the server composed (GOV-3 sign-off: the digest of the
 * frozen decisions), by the signed-in account: the signed text must be exactly `tbs`, and the
 * certificate passes the sign-in pipeline (chain, validity, key usage, policy, revocation) and is
 * registered to that account. No challenge row: the text names what is signed, and is signed once.
 */
export async function verifyDocumentSignature(deps: Deps, accountId: number, tbs: string, answer: SignedAnswer): Promise<DocumentSignature> {
  const proof = await verifyProof({ ...answer, tbs: answer.tbs ?? tbs });
  if (!proof.ok || proof.tbs !== tbs) return { ok: false, reason: 'cert.signature' };
  const a: CertAttempt = { deps, now: deps.clock.now(), purpose: 'login', der: proof.certificate, policy: defaultPolicy() };
  const refused = await runChecks(a);
  if (refused) return { ok: false, reason: refused };
  if (a.account?.id !== accountId) return { ok: false, reason: 'cert.otherAccount' };
  const c = a.info!;
  return { ok: true, certificate: { serial: c.serial, issuerKeyId: a.issuer!.subject_key_id, thumbprint: c.thumbprint, commonName: c.commonName }, revocation: a.revocation };
}
