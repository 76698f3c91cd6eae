// Passkeys (AUTH-11): WebAuthn registration by a signed-in user, usernameless sign-in, listing,
// renaming and removal; the AAGUID allow/deny lists of the account's policy apply at registration.
// Ceremony challenges live in the database (any instance finishes what another began), are single
// use, expire after 5 minutes and are bound to the browser: its session (registration) or a
// cookie set with the sign-in options (login). Every sign-in refusal reads the same (no account
// enumeration); the audit trail records the reason.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type AuthenticatorTransport, type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import { effectivePolicy, type Policy } from '../orgs/policy.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { passkeyMethodAllowed } from './login-method.ts';
import type { Account } from '../db/types.ts';
import type { ActiveSession } from './sessions.ts';
import { createSession } from './sessions.ts';
import { CHALLENGE_TTL_MS, claimChallenge, storeChallenge } from './challenges.ts';
import { evaluateThrottle, ipKey, readThrottles, recordFailure, usernameKey } from './throttle.ts';
import {
  countPasskeys, deletePasskey, insertPasskey, loadPasskeySubject, passkeysOf, recordPasskeyUse, renamePasskey,
  type PasskeyRow,
} from './passkey-store.ts';

export { CHALLENGE_TTL_MS };
const IP_WINDOW_MS = 15 * 60_000;
/** The cookie that binds a sign-in ceremony to the browser that asked for its options. */
export const PASSKEY_LOGIN_COOKIE = 'tessera_pk';
export const NAME_MAX = 60;

/**
 * Names of well-known authenticator models by AAGUID (the FIDO metadata's and the passkey
 * providers' published values). A passkey of another model is named "通行密鑰 n".
 */
export const KNOWN_AAGUIDS: Record<string, string> = {
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
  '53414d53-554e-4700-0000-000000000000': 'Samsung Pass',
  'cb69481e-8ff7-4039-93ec-0a2729a154a8': 'YubiKey 5 Series',
  'ee882879-721c-4913-9775-3dfcce97072a': 'YubiKey 5 Series',
  'fa2b99dc-9e39-4257-8f92-4a30d23c4118': 'YubiKey 5 Series with NFC',
  '2fc0579f-8113-47ea-b116-bb5a8db9202a': 'YubiKey 5 Series with NFC',
};

/** Where the relying party is: its ID (the host) and origin, from the configured public URL. */
export function relyingParty(deps: Deps): { rpID: string; origin: string; rpName: string } {
  const u = new URL(deps.config.baseUrl);
  return { rpID: u.hostname, origin: u.origin, rpName: 'Tessera' };
}

const registerBinding = (s: ActiveSession) => sha256('register:' + s.idHash);
export const loginBinding = (cookie: string) => sha256('login:' + cookie);

/** The challenge a response answers, as its clientDataJSON says (verified afterwards against the stored one). */
function answeredChallenge(clientDataJSON: string): string | undefined {
  try {
    const c = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof c.challenge === 'string' && c.challenge.length <= 200 ? c.challenge : undefined;
  } catch { return undefined; }
}

/** Takes the stored challenge this response answers for this binding; undefined when none (or expired). */
async function claimAnswered(deps: Deps, purpose: 'register' | 'login', bindingHash: string, clientDataJSON: string, now: Date) {
  const challenge = answeredChallenge(clientDataJSON);
  if (!challenge) return undefined;
  const c = await claimChallenge(deps, purpose, bindingHash, challenge, now);
  return c && !c.expired ? c.row : undefined;
}

/** The user handle WebAuthn stores with a discoverable credential: opaque, stable per account. */
const userHandle = (deps: Deps, accountId: number) => new Uint8Array(Buffer.from(deps.keyring.mac('passkey-user', String(accountId)), 'base64url'));

export type PasskeyRefusal = 'passkey.disabledByPolicy' | 'passkey.aaguidRefused' | 'passkey.verifyFailed' | 'passkey.challengeFailed' | 'passkey.alreadyRegistered';

/** 1. Registration options for the signed-in user (resident key and user verification required). */
export async function registrationOptions(deps: Deps, s: ActiveSession): Promise<{ ok: true; options: PublicKeyCredentialCreationOptionsJSON } | { ok: false; error: PasskeyRefusal }> {
  const { policy } = await effectivePolicyFor(deps.db, s.unitOid);
  if (!policy['login.passkey']) return { ok: false, error: 'passkey.disabledByPolicy' };
  const rp = relyingParty(deps);
  const existing = await passkeysOf(deps.db, s.accountId);
  const options = await generateRegistrationOptions({
    rpName: rp.rpName, rpID: rp.rpID, userName: s.username, userDisplayName: s.name, userID: userHandle(deps, s.accountId),
    attestationType: 'none', timeout: CHALLENGE_TTL_MS,
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
  await storeChallenge(deps, 'register', registerBinding(s), options.challenge, s.accountId);
  return { ok: true, options };
}

/** Whether the policy lets this authenticator model be registered. */
export function aaguidAllowed(policy: Policy, aaguid: string): boolean {
  const a = aaguid.toLowerCase();
  const allow = policy['passkey.aaguidAllow'];
  if (allow.length > 0 && !allow.includes(a)) return false;
  return !policy['passkey.aaguidDeny'].includes(a);
}

/** 2. Verifies the authenticator's answer and stores the passkey. */
export async function finishRegistration(deps: Deps, s: ActiveSession, response: RegistrationResponseJSON, ip: string): Promise<{ ok: true; passkey: { id: number; name: string } } | { ok: false; error: PasskeyRefusal }> {
  const now = deps.clock.now();
  const row = await claimAnswered(deps, 'register', registerBinding(s), response.response.clientDataJSON, now);
  const refuse = async (error: PasskeyRefusal, details: Record<string, unknown> = {}) => {
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: s.accountId, action: 'auth.passkey.register', result: 'denied', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip,
      details: { reason: error, ...details },
    }));
    return { ok: false as const, error };
  };
  if (!row || row.account_id !== s.accountId) return refuse('passkey.challengeFailed');
  const { policy } = await effectivePolicyFor(deps.db, s.unitOid);
  if (!policy['login.passkey']) return refuse('passkey.disabledByPolicy');
  const rp = relyingParty(deps);
  let info;
  try {
    const v = await verifyRegistrationResponse({
      response, expectedChallenge: row.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true,
    });
    if (!v.verified) return refuse('passkey.verifyFailed');
    info = v.registrationInfo;
  } catch (e) {
    return refuse('passkey.verifyFailed', { detail: String((e as Error).message).slice(0, 200) });
  }
  const aaguid = info.aaguid.toLowerCase();
  if (!aaguidAllowed(policy, aaguid)) return refuse('passkey.aaguidRefused', { aaguid });
  const name = KNOWN_AAGUIDS[aaguid] ?? `通行密鑰 ${(await countPasskeys(deps.db, s.accountId)) + 1}`;
  const id = await deps.db.transaction().execute(async (trx) => {
    const id = await insertPasskey(trx, {
      account_id: s.accountId, credential_id: info.credential.id, public_key: info.credential.publicKey, counter: info.credential.counter,
      transports: (response.response.transports ?? info.credential.transports ?? []).slice(0, 10), aaguid,
      backup_eligible: info.credentialDeviceType === 'multiDevice', backup_state: info.credentialBackedUp, name, created_at: now,
    });
    if (id) {
      await audit(trx, now, {
        actor: s.accountId, action: 'auth.passkey.register', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip,
        details: { passkey: id, aaguid, name, synced: info.credentialDeviceType === 'multiDevice' },
      });
    }
    return id;
  });
  if (!id) return refuse('passkey.alreadyRegistered');
  return { ok: true, passkey: { id, name } };
}

/** 1. Sign-in options: no allowCredentials (usernameless), user verification required. */
export async function authenticationOptions(deps: Deps): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; cookie: string }> {
  const rp = relyingParty(deps);
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: 'required', timeout: CHALLENGE_TTL_MS, allowCredentials: [] });
  const cookie = randomToken();
  await storeChallenge(deps, 'login', loginBinding(cookie), options.challenge, null);
  return { options, cookie };
}

export type PasskeyLoginOutcome =
  | { ok: true; sessionToken: string; accountId: number }
  | { ok: false; reason: 'ip_limited' | 'challenge' | 'unknown_credential' | 'verify' | 'counter' | 'disabled' | 'not_allowed' | 'locked' | 'policy' };

/** 2. Verifies an assertion and starts a session as a password login does (AUTH-10, ACC-6, GOV-1). */
export async function passkeyLogin(deps: Deps, cookie: string | undefined, response: AuthenticationResponseJSON, ip: string): Promise<PasskeyLoginOutcome> {
  const now = deps.clock.now();
  const ipk = ipKey(deps.keyring, ip);
  let account: Account | undefined;
  const fail = async (reason: Exclude<PasskeyLoginOutcome, { ok: true }>['reason'], details: Record<string, unknown> = {}): Promise<PasskeyLoginOutcome> => {
    // A failed proof counts against the address, as a failed password does; refusals after a good proof do not.
    if (reason === 'challenge' || reason === 'unknown_credential' || reason === 'verify' || reason === 'counter') {
      await recordFailure(deps.db, ipk, now, deps.config.ipLoginLimit, IP_WINDOW_MS, IP_WINDOW_MS);
    }
    await deps.db.transaction().execute((trx) => audit(trx, now, {
      actor: account?.id ?? null, action: 'auth.login.passkey', result: reason === 'verify' || reason === 'counter' || reason === 'challenge' || reason === 'unknown_credential' ? 'failed' : 'denied',
      targetType: 'account', targetId: account?.id, orgOid: account?.unit_oid ?? null, ip, details: { reason, method: 'passkey', ...details },
    }));
    return { ok: false, reason };
  };
  const throttles = await readThrottles(deps.db, [ipk]);
  if (evaluateThrottle(throttles.get(ipk), now, IP_WINDOW_MS).lockedUntil) return fail('ip_limited');
  const row = cookie ? await claimAnswered(deps, 'login', loginBinding(cookie), response.response.clientDataJSON, now) : undefined;
  if (!row) return fail('challenge');
  const subject = await loadPasskeySubject(deps.db, response.id);
  if (!subject || subject.account.state === 'deleted') return fail('unknown_credential');
  account = subject.account;
  const pk = subject.passkey;
  const rp = relyingParty(deps);
  let info;
  try {
    const v = await verifyAuthenticationResponse({
      response, expectedChallenge: row.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true,
      credential: { id: pk.credential_id, publicKey: new Uint8Array(pk.public_key), counter: pk.counter, transports: pk.transports as AuthenticatorTransport[] },
    });
    if (!v.verified) return fail('verify', { passkey: pk.id });
    info = v.authenticationInfo;
  } catch (e) {
    const msg = String((e as Error).message);
    return fail(/counter/i.test(msg) ? 'counter' : 'verify', { passkey: pk.id, detail: msg.slice(0, 200) });
  }
  // Counters: a synced passkey reports 0 every time (nothing to compare); a counting one must
  // move forwards, which the library checked, and the update below makes it hold across instances.
  if ((info.newCounter > 0 || pk.counter > 0) && info.newCounter <= pk.counter) return fail('counter', { passkey: pk.id });
  const policy = effectivePolicy(subject.policyPath).policy;
  if (account.state === 'disabled') return fail('disabled');
  if (account.state !== 'enabled') return fail('not_allowed', { state: account.state });
  // AUTH-9: where the card is required, a passkey signs in only if the policy lets it stand in.
  if (!passkeyMethodAllowed(policy)) return fail('policy', { certificateRequired: policy['login.certificateRequired'] });
  const userKey = usernameKey(deps.keyring, account.username_norm);
  const locked = evaluateThrottle((await readThrottles(deps.db, [userKey])).get(userKey), now, deps.config.lockoutMinutes * 60_000).lockedUntil;
  if (locked) return fail('locked');
  const a = account;
  const token = await deps.db.transaction().execute(async (trx) => {
    if (!(await recordPasskeyUse(trx, pk.id, pk.counter, info.newCounter, info.credentialBackedUp, now))) return null;
    const t = await createSession(trx, now, a.id, policy, 'passkey', false, a.last_passkey_login_at, 'last_passkey_login_at');
    await audit(trx, now, {
      actor: a.id, action: 'auth.login.passkey', result: 'ok', targetType: 'account', targetId: a.id, orgOid: a.unit_oid, ip,
      details: { method: 'passkey', passkey: pk.id, synced: pk.backup_eligible },
    });
    return t;
  });
  if (!token) return fail('counter', { passkey: pk.id, race: true });
  return { ok: true, sessionToken: token, accountId: a.id };
}

export interface PasskeyListItem { id: number; name: string; createdAt: Date; lastUsedAt: Date | null; synced: boolean; aaguid: string }

export async function listPasskeys(deps: Deps, accountId: number): Promise<PasskeyListItem[]> {
  return (await passkeysOf(deps.db, accountId)).map((p: PasskeyRow) => ({
    id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at, synced: p.backup_eligible, aaguid: p.aaguid,
  }));
}

/** Removes one passkey of `account` (by the user or an administrator who was authorised first); audited. */
export async function removePasskey(deps: Deps, actorId: number, account: { id: number; unit_oid: string }, passkeyId: number, ip: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const gone = await deletePasskey(trx, account.id, passkeyId);
    if (!gone) return false;
    await audit(trx, now, {
      actor: actorId, action: 'auth.passkey.remove', targetType: 'account', targetId: account.id, orgOid: account.unit_oid, ip,
      details: { passkey: gone.id, name: gone.name, aaguid: gone.aaguid, byAdministrator: actorId !== account.id },
    });
    return true;
  });
}

export type RenameOutcome = { ok: true } | { ok: false; error: 'passkey.nameRequired' | 'passkey.nameTooLong' | 'error.notFound' };

export async function renameOwnPasskey(deps: Deps, s: ActiveSession, passkeyId: number, raw: string, ip: string): Promise<RenameOutcome> {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) return { ok: false, error: 'passkey.nameRequired' };
  if ([...name].length > NAME_MAX) return { ok: false, error: 'passkey.nameTooLong' };
  const now = deps.clock.now();
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!(await renamePasskey(trx, s.accountId, passkeyId, name))) return false;
    await audit(trx, now, {
      actor: s.accountId, action: 'auth.passkey.rename', targetType: 'account', targetId: s.accountId, orgOid: s.unitOid, ip, details: { passkey: passkeyId, name },
    });
    return true;
  });
  return done ? { ok: true } : { ok: false, error: 'error.notFound' };
}
