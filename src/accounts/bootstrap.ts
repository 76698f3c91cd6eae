// First start (OPS-1): sample organisations and the central-authority account. The generated
// password is printed once and must be changed at first login; a configured one need not be.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { insertAccount, setPassword, findAccountByUsername } from './store.ts';
import { anyCentralGrant, anyOrg, insertCentralGrant, insertPolicyIfAbsent, withBootstrapLock } from './bootstrap-store.ts';
import { checkUsername } from './username.ts';
import { passwordChecker } from '../auth/password-policy.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { importOrgs } from '../orgs/service.ts';
import type { PolicySettings } from '../orgs/policy.ts';
import { srcFile } from '../paths.ts';
import { loadSampleSystems } from '../sso/systems/samples.ts';

export const CENTRAL_JURISDICTION = '2.16.886';
export const CENTRAL_UNIT = '2.16.886.101';
const SAMPLE_ORGS = srcFile('orgs/sample-orgs.csv');

export class BootstrapError extends Error {}

/** Letters and digits without look-alikes, in groups: easy to copy from a terminal. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  for (;;) {
    const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => alphabet[crypto.randomInt(alphabet.length)]).join(''));
    const p = groups.join('-');
    if (/[a-z]/.test(p) && /[A-Z]/.test(p) && /\d/.test(p)) return p;
  }
}

export async function loadSampleOrgs(deps: Deps): Promise<number> {
  if (await anyOrg(deps.db)) return 0;
  const r = await importOrgs(deps, null, fs.readFileSync(SAMPLE_ORGS, 'utf8'), { dryRun: false });
  // Each sample organisation follows its seed (SAMPLE_POLICIES); the others keep the defaults.
  const now = deps.clock.now();
  for (const [oid, settings] of Object.entries(SAMPLE_POLICIES)) {
    await insertPolicyIfAbsent(deps.db, oid, JSON.stringify(settings), now);
  }
  return r.created;
}

const SAMPLE_POLICIES: Record<string, PolicySettings> = {
  // Seed 001's schools: 8-character passwords, <校代碼>_<name> usernames, set-password links.
  '2.16.886.111': { 'password.minLength': 8, 'username.scheme': 'tenant_prefixed', 'initialPassword.scheme': 'email_link' },
  // Seed 000's agency (中華郵政, its screenshots): "至少12碼，需包含且只能為大、小寫字母及數字"
  // (issue 9 item 17). Seed 003's agencies keep the defaults (12, letters, digits and symbols, quarterly).
  '2.16.886.101.20003.20008.20074': { 'password.minLength': 12, 'password.classes': 'upper_lower_digit_only' },
};

export interface BootstrapResult { created: boolean; username?: string; generatedPassword?: string; sampleOrgs?: number; sampleSystems?: number }

/**
 * Instances started together on an empty database (issue 15): each takes a session advisory lock
 * on one connection and does the whole bootstrap on it; the second finds the first's account and
 * does nothing, instead of failing on a duplicate key.
 */
export async function bootstrapCentralAuthority(deps: Deps, opts: { username?: string; password?: string } = {}): Promise<BootstrapResult> {
  if (await anyCentralGrant(deps.db)) return { created: false };
  return withBootstrapLock(deps.db, (conn) => bootstrapLocked({ ...deps, db: conn }, opts));
}

async function bootstrapLocked(deps: Deps, opts: { username?: string; password?: string }): Promise<BootstrapResult> {
  if (await anyCentralGrant(deps.db)) return { created: false };
  const sampleOrgs = await loadSampleOrgs(deps);
  const sampleSystems = await loadSampleSystems(deps.db);
  const username = opts.username ?? 'centraladmin';
  const { policy } = await effectivePolicyFor(deps.db, CENTRAL_UNIT);
  const usernameError = checkUsername(username, 'alnum', null);
  if (usernameError) throw new BootstrapError('TESSERA_BOOTSTRAP_USERNAME must be 6-30 letters or digits');
  if (await findAccountByUsername(deps.db, username)) throw new BootstrapError(`username ${username} is taken`);
  if (opts.password) {
    const errors = (await passwordChecker()).check(opts.password, username, policy);
    if (errors.length) throw new BootstrapError(`TESSERA_BOOTSTRAP_PASSWORD breaks the password policy: ${errors.join(', ')}`);
  }
  const password = opts.password ?? generatePassword();
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const id = await insertAccount(trx, deps.keyring, now, {
      username, unitOid: CENTRAL_UNIT, state: 'enabled',
      profile: { name: '中央管理者', nationalId: null, birthMonth: null, birthDay: null, email: null, mobile: null, title: null, department: null, address: null, officePhone: null, officeExt: null, fax: null, staffCode: null, postalCode: null },
    });
    await setPassword(trx, id, hash, now, opts.password ? 'password' : 'initial', !opts.password, null);
    await insertCentralGrant(trx, id, CENTRAL_JURISDICTION);
    await audit(trx, now, { actor: null, action: 'account.bootstrap', targetType: 'account', targetId: id, orgOid: CENTRAL_UNIT, details: { grant: 'central' } });
  });
  return { created: true, username, generatedPassword: opts.password ? undefined : password, sampleOrgs, sampleSystems };
}
