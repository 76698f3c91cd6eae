// Reliable logout (SSO-2, issue 13): back-channel logout goes through the outbox, so a system that
// is down is told when it is back; and a provider session also ends — its systems told — when the
// Tessera session it was signed in with times out, or its account is disabled (the sso.sessions job).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signInThrough, startTestRp, type TestRp } from '../helpers/oidc-rp.ts';
import { giveRoles } from '../helpers/factories.ts';
import { centralAuthority, jsonCall } from '../helpers/api.ts';
import { runDueJobs } from '../../src/governance/jobs/scheduler.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { BACKOFF_BASE_MS } from '../../src/platform/outbox.ts';
import { MINUTE } from '../../src/platform/clock.ts';

const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';
let t: TestApp;
let csm: TestRp;
let admin: string;

before(async () => {
  t = await startTestApp();
  csm = await startTestRp(t, { systemCode: 'csm' });
  admin = (await centralAuthority(t)).token;
});
after(async () => {
  await csm?.close();
  await t?.close();
});

let n = 0;
async function signedInUser(): Promise<{ id: number; c: Client; sid: string; refresh: string }> {
  const username = `rlogout${++n}`;
  const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid: UNIT });
  await giveRoles(t.deps, id, 'csm_user');
  const c = new Client('');
  const trace = await signInThrough(c, csm.loginUrl, { rpUrl: csm.url, username, password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept' });
  assert.equal(trace.rpStatus, 200, trace.rpBody ?? '');
  return { id, c, sid: String(csm.last!.idClaims.sid), refresh: csm.last!.tokens.refresh_token! };
}
/** The scheduler runs sso.sessions every minute: one minute on, it is due. */
const sessionsJob = () => { t.clock.advance(MINUTE); return runDueJobs(t.deps, [jobNamed('sso.sessions')!], 'instance-a'); };
const lastLogoutFor = (id: number) => csm.backchannelLogouts.filter((x) => x.sub === String(id)).at(-1);

test('SSO-2 issue 13: a Tessera session that times out (idle) ends single sign-on: the job tells the system and revokes its tokens', async () => {
  const u = await signedInUser();
  const before = csm.backchannelLogouts.length;
  await sessionsJob();
  assert.equal(csm.backchannelLogouts.length, before, 'an active session is left alone');
  t.clock.advance(15 * MINUTE); // with the job's minute: past the default idle timeout is 15 minutes (policy session.idleMinutes)
  await sessionsJob();
  await csm.waitForBackchannelLogouts(before + 1);
  assert.equal(lastLogoutFor(u.id)?.sid, u.sid, 'the sid the system holds');
  await assert.rejects(oidc.refreshTokenGrant(await csm.configuration(), u.refresh));
  // Exactly once: the next run finds nothing left to end.
  await sessionsJob();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(csm.backchannelLogouts.length, before + 1);
});

test('SSO-2 issue 13: disabling an account ends its single sign-on and tells the system', async () => {
  const u = await signedInUser();
  const before = csm.backchannelLogouts.length;
  const off = await jsonCall(t, admin, 'POST', `/api/v1/accounts/${u.id}/state`, { state: 'disabled' });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  await sessionsJob();
  await csm.waitForBackchannelLogouts(before + 1);
  assert.equal(lastLogoutFor(u.id)?.sid, u.sid);
  await assert.rejects(oidc.refreshTokenGrant(await csm.configuration(), u.refresh));
});

test('SSO-2 issue 13: "log out everywhere" tells the system for every browser session of the account', async () => {
  const u = await signedInUser();
  // A second browser of the same person, signed in to the same system.
  const other = new Client('');
  const username = `rlogout${n}`;
  const trace = await signInThrough(other, csm.loginUrl, { rpUrl: csm.url, username, password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept' });
  assert.equal(trace.rpStatus, 200);
  const sids = new Set([u.sid, String(csm.last!.idClaims.sid)]);
  assert.equal(sids.size, 2);
  const before = csm.backchannelLogouts.length;
  const page = await u.c.get(`${t.url}/profile`);
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];
  const out = await u.c.post(`${t.url}/logout-everywhere`, { _csrf: csrf });
  assert.equal(out.status, 303);
  await csm.waitForBackchannelLogouts(before + 2);
  assert.deepEqual(new Set(csm.backchannelLogouts.slice(before).map((x) => x.sid)), sids);
});

test('SSO-2 issue 13: a system that is down when the user leaves is told when it is back (outbox retry with backoff)', async () => {
  const u = await signedInUser();
  const before = csm.backchannelLogouts.length;
  csm.backchannelDown = true;
  const refusedBefore = csm.backchannelRefused;
  try {
    const page = await u.c.get(`${t.url}/profile`);
    const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)![1];
    assert.equal((await u.c.post(`${t.url}/logout`, { _csrf: csrf })).status, 303);
    const until = Date.now() + 10_000;
    while (csm.backchannelRefused === refusedBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal(csm.backchannelRefused, refusedBefore + 1, 'tried once, refused');
    const row = await t.deps.db.selectFrom('outbox').select(['attempts', 'sent_at', 'last_error'])
      .where('channel', '=', 'backchannel').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.match(row.last_error ?? '', /503/);
  } finally {
    csm.backchannelDown = false;
  }
  t.clock.advance(BACKOFF_BASE_MS);
  await csm.waitForBackchannelLogouts(before + 1, 15_000);
  assert.equal(lastLogoutFor(u.id)?.sid, u.sid);
});
