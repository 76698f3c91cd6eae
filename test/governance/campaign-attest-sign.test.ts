// GOV-3, GOV-4, AUTH-8 (issue 14, seed 002 D-06-20): a review that asks every holder to attest —
// holders see it on the portal after sign-in, confirm their account or report what is wrong (a note
// demanded), only their own item and only while the review is open; the reviewer sees the answers;
// unanswered holders are reminded once through the outbox — and the sign-off with the citizen
// certificate: a CMS signature over this site, the run and the digest of its decisions, by a card
// registered to the signer that passes the sign-in pipeline (trust, CRL); another text, an
// unregistered card or decisions changed since signing are refused and nothing is signed; the
// evidence is kept; the D-06-20 form prints the attestations and the signature block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signedIn } from '../helpers/login.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import { giveGrant, giveRoles } from '../helpers/factories.ts';
import { AGENCY, CHILD } from '../helpers/matrix.ts';
import { compact, extractPdfText } from '../helpers/pdf-text.ts';
import { makeHierarchy, makeCitizen, makeCrl, startPkiServer, signPkcs7, type Issued, type PkiServer } from '../helpers/pki.ts';
import { DAY } from '../../src/platform/clock.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { jobNamed } from '../../src/governance/jobs/table.ts';
import { runDueJobs, runJobNow } from '../../src/governance/jobs/scheduler.ts';

const PASSWORD = 'Correct-Horse-9';
let t: TestApp;
let pki: PkiServer;
let card: Issued, strangerCard: Issued, g3: Issued;
const ids: Record<string, number> = {};
const clients: Record<string, Client> = {};
let runId = 0;
const nationalId = (i: number) => { const first9 = `A1${String(3456000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

interface JsonRes { status: number; body: any }
async function json(c: Client, path: string, body: Record<string, unknown>): Promise<JsonRes> {
  const r = await c.request('POST', path, JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' });
  let parsed: unknown = r.body;
  try { parsed = JSON.parse(r.body); } catch { /* a page */ }
  return { status: r.status, body: parsed };
}
const as = async (who: string, method: string, path: string, body?: unknown) => jsonCall(t, await apiToken(t, who), method, '/api/v1' + path, body);

before(async () => {
  t = await startTestApp();
  const h = await makeHierarchy();
  g3 = h.g3;
  pki = await startPkiServer([h.g3]);
  pki.crls.set('/g3.crl', await makeCrl(h.g3, []));
  const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
  for (const [ca, crl] of [[h.root, ''], [h.g3, `${pki.url}/g3.crl`]] as const) {
    const r = await admin.submit('/admin/certificates/trust', '/admin/certificates/trust', { certificate: ca.pem, crlUrl: crl });
    assert.equal(r.status, 303, r.body.slice(0, 300));
  }
  const refreshed = await runJobNow(t.deps, jobNamed('cert.crl.refresh')!);
  assert.equal(refreshed.counts?.refreshed, 1, JSON.stringify(refreshed));
  await t.deps.db.insertInto('policies').values({ oid: '2.16.886.101', settings: JSON.stringify({ 'login.certificate': true }), updated_at: t.clock.now() })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ settings: JSON.stringify({ 'login.certificate': true }) })).execute();

  // The reviewer: the agency's registration administrator, with a registered card.
  const nid = nationalId(1);
  ids.reviewer1 = await createAccount(t.deps, { username: 'reviewer1', password: PASSWORD, unitOid: AGENCY, name: '李清查', profile: { nationalId: nid } });
  await giveGrant(t.deps, ids.reviewer1, 'registration_admin', AGENCY, ['csm']);
  card = await makeCitizen(h.g3, { name: '李清查', last4: nid.slice(-4), crlUrl: `${pki.url}/g3.crl` });
  strangerCard = await makeCitizen(h.g3, { name: '王路人', last4: '1234', crlUrl: `${pki.url}/g3.crl` });
  clients.reviewer1 = await signedIn(t, 'reviewer1', PASSWORD);
  const csrf = hiddenFields((await clients.reviewer1.get('/account/certificates')).body)._csrf;
  const ch = await json(clients.reviewer1, '/account/certificates/challenge', { _csrf: csrf });
  const reg = await json(clients.reviewer1, '/account/certificates', { _csrf: csrf, format: 'pkcs7', signature: await signPkcs7(card, ch.body.tbs), tbs: ch.body.tbs });
  assert.equal(reg.status, 200, JSON.stringify(reg.body));

  for (const u of ['holder001', 'holder002', 'holder003']) {
    ids[u] = await createAccount(t.deps, { username: u, password: PASSWORD, unitOid: CHILD, name: `持有人${u.slice(-1)}`, profile: { email: `${u}@example.gov.tw` } });
    await giveRoles(t.deps, ids[u], 'csm_user');
  }
  const def = await as('reviewer1', 'POST', '/campaigns', { name: '115 年上半年帳號清查', scopeOid: AGENCY, recurrence: 'half_yearly', deadlineDays: 14, defaultAction: 'no_change', attestation: true });
  assert.equal(def.status, 201, JSON.stringify(def.body));
  const run = await as('reviewer1', 'POST', `/campaigns/${def.body.id}/runs`);
  assert.equal(run.status, 201);
  runId = run.body.runId;
});
after(async () => { await pki?.close(); await t?.close(); });

test('GOV-3: holders see the review on the portal after sign-in, confirm their account or report what is wrong (a note demanded), audited; the reviewer sees the answers', async () => {
  for (const u of ['holder001', 'holder002']) clients[u] = await signedIn(t, u, PASSWORD);
  const home = await clients.holder001.get('/');
  assert.match(home.body, /您有 1 項帳號清查需要確認本人帳號/);
  const own = await clients.holder001.get('/account/attestations');
  assert.match(own.body, /115 年上半年帳號清查/);
  assert.match(own.body, /holder001/);
  assert.doesNotMatch(own.body, /csm_user/, 'role names, not codes');
  const ok = await clients.holder001.submit('/account/attestations', `/account/attestations/${runId}`, { answer: 'confirmed' });
  assert.equal(ok.status, 303);
  assert.doesNotMatch((await clients.holder001.get('/')).body, /需要確認本人帳號/, 'answered: no more notice');

  const noNote = await clients.holder002.submit('/account/attestations', `/account/attestations/${runId}`, { answer: 'reported', note: '  ' });
  assert.equal(noNote.status, 422);
  assert.match(noNote.body, /回報有誤時請說明/);
  const reported = await clients.holder002.submit('/account/attestations', `/account/attestations/${runId}`, { answer: 'reported', note: '已調職，不再需要商工登記角色' });
  assert.equal(reported.status, 303);
  // Someone else's review (no item of theirs): not found, nothing recorded.
  const other = await clients.holder002.submit('/account/attestations', `/account/attestations/${runId + 999}`, { answer: 'confirmed' });
  assert.equal(other.status, 404);

  const items = await as('reviewer1', 'GET', `/campaigns/runs/${runId}/items?pageSize=100`);
  const by = Object.fromEntries(items.body.items.map((i: { username: string }) => [i.username, i]));
  assert.equal(by.holder001.attestation, 'confirmed');
  assert.equal(by.holder002.attestation, 'reported');
  assert.equal(by.holder002.attestationNote, '已調職，不再需要商工登記角色');
  assert.equal(by.holder003.attestation, null);
  const run = await as('reviewer1', 'GET', `/campaigns/runs/${runId}`);
  assert.equal(run.body.progress.confirmed, 1);
  assert.equal(run.body.progress.reported, 1);
  const page = await clients.reviewer1.get(`/admin/campaigns/runs/${runId}`);
  assert.match(page.body, /本人確認：已確認 1、回報有誤 1/);
  assert.match(page.body, /回報有誤：已調職，不再需要商工登記角色/);
  const events = await t.deps.db.selectFrom('audit_events').select(['actor_account_id', 'details']).where('action', '=', 'campaign.attest').execute();
  assert.deepEqual(events.map((e) => Number(e.actor_account_id)).sort(), [ids.holder001, ids.holder002].sort());
});

test('GOV-3, GOV-5: holders who have not answered are reminded with the reviewers before the deadline, once', async () => {
  const run = await t.deps.db.selectFrom('campaign_runs').select('deadline_at').where('id', '=', runId).executeTakeFirstOrThrow();
  t.clock.set(new Date(run.deadline_at.getTime() - 2 * DAY));
  await runDueJobs(t.deps, [jobNamed('campaigns.generate')!], 'instance-a');
  t.clock.set(new Date(run.deadline_at.getTime() - 2 * DAY + 3_600_000));
  await runDueJobs(t.deps, [jobNamed('campaigns.generate')!], 'instance-b');
  const mails = await t.deps.db.selectFrom('outbox').select(['recipient', 'body_text']).where('subject', 'like', '%請確認您的帳號%').execute();
  assert.deepEqual(mails.map((m) => m.recipient).sort(), ['holder003@example.gov.tw'], 'only the holder without an answer, once');
  assert.match(mails[0].body_text, /\/account\/attestations/);
});

test('GOV-3, AUTH-8: sign-off with the citizen certificate — another text or an unregistered card is refused, changed decisions are refused, the right signature freezes and carries out', async () => {
  clients.reviewer1 = await signedIn(t, 'reviewer1', PASSWORD); // the clock moved past the last session's lifetime
  // …and past the CRL's nextUpdate: the issuer publishes a new one, the job fetches it.
  pki.crls.set('/g3.crl', await makeCrl(g3, [], { thisUpdate: t.clock.now(), nextUpdate: new Date(t.clock.now().getTime() + 7 * DAY), number: 2 }));
  assert.equal((await runJobNow(t.deps, jobNamed('cert.crl.refresh')!)).counts?.refreshed, 1);
  const page = await clients.reviewer1.get(`/admin/campaigns/runs/${runId}`);
  assert.match(page.body, /data-tbs/, 'a signer with a registered card is offered the certificate sign-off');
  const text = await as('reviewer1', 'GET', `/campaigns/runs/${runId}/sign-off/certificate`);
  assert.equal(text.status, 200);
  const { tbs } = text.body;
  assert.match(tbs, new RegExp(`^tessera-certificate:sign:http://[^:]+:\\d+:campaign-run-${runId}:[0-9a-f]{64}$`));
  const sign = (who: Issued, what: string) => signPkcs7(who, what).then((signature) => ({ format: 'pkcs7', signature, tbs: what }));

  const other = tbs.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
  const tampered = await as('reviewer1', 'POST', `/campaigns/runs/${runId}/sign-off/certificate`, { ...await sign(card, tbs), tbs: other });
  assert.equal(tampered.status, 422, 'the card signed another text than the one presented');
  const stranger = await as('reviewer1', 'POST', `/campaigns/runs/${runId}/sign-off/certificate`, await sign(strangerCard, tbs));
  assert.equal(stranger.status, 422, 'a card not registered to the signer');
  const reasons = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'campaign.signoff').where('result', '=', 'failed').orderBy('seq').execute();
  assert.deepEqual(reasons.map((e) => (e.details as { reason: string }).reason), ['cert.signature', 'cert.notRegistered']);
  assert.equal((await as('reviewer1', 'GET', `/campaigns/runs/${runId}`)).body.state, 'open');

  // The decisions change after the text was signed: the old signature no longer signs them.
  const signedEarly = await sign(card, tbs);
  assert.equal((await as('reviewer1', 'POST', `/campaigns/runs/${runId}/decisions`, { decision: 'remove_role', role: 'csm_user', accountIds: [ids.holder002] })).status, 200);
  const stale = await as('reviewer1', 'POST', `/campaigns/runs/${runId}/sign-off/certificate`, signedEarly);
  assert.equal(stale.status, 409, 'a valid signature over a digest that is no longer the decisions\'');
  assert.equal((await as('reviewer1', 'POST', `/campaigns/runs/${runId}/sign-off/certificate`, await sign(card, other))).status, 409, 'nor any other digest');

  const fresh = (await as('reviewer1', 'GET', `/campaigns/runs/${runId}/sign-off/certificate`)).body.tbs;
  const ok = await as('reviewer1', 'POST', `/campaigns/runs/${runId}/sign-off/certificate`, await sign(card, fresh));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'executed');
  assert.equal(ok.body.executed.role_removed, 1);
  const run = await t.deps.db.selectFrom('campaign_runs').select(['sign_method', 'sign_evidence']).where('id', '=', runId).executeTakeFirstOrThrow();
  assert.equal(run.sign_method, 'certificate');
  const evidence = run.sign_evidence as { signedText: string; signature: string; decisionsSha256: string; certificate: { serial: string } };
  assert.equal(evidence.signedText, fresh);
  assert.ok(fresh.endsWith(evidence.decisionsSha256));
  assert.equal(evidence.certificate.serial.replace(/^0+/, ''), card.serial.replace(/^0+/, ''));
  const refused = await t.deps.db.selectFrom('audit_events').select('details').where('action', '=', 'campaign.signoff').where('result', '=', 'failed').execute();
  assert.equal(refused.length, 2, 'both refused signatures are audited');

  const token = await apiToken(t, 'reviewer1');
  const form = await fetch(`${t.url}/api/v1/campaigns/runs/${runId}/form.pdf`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(form.status, 200);
  const text2 = compact(await extractPdfText(Buffer.from(await form.arrayBuffer())));
  assert.match(text2, /holder001.*已確認/);
  assert.match(text2, /holder002.*回報有誤：已調職，不再需要商工登記角色/);
  assert.match(text2, /holder003.*未回覆/);
  assert.match(text2, /業務帳號註冊管理者確認簽名：李清查.*自然人憑證簽章/);

  // After the sign-off the review takes no answer.
  clients.holder003 = await signedIn(t, 'holder003', PASSWORD);
  assert.equal((await clients.holder003.submit('/account/attestations', `/account/attestations/${runId}`, { answer: 'confirmed' })).status, 404);
});
