// AUTH-8 test world shared by the certificate tests that are not about the pipeline itself: a
// GRCA→MOICA-like hierarchy trusted by the central authority on its page, G3's CRL served on
// 127.0.0.1 and loaded by the CRL job, citizens (account + card whose CN and last 4 digits match),
// registration and sign-in through HTTP exactly as the page's script does them.
import assert from 'node:assert/strict';
import { ADMIN_USERNAME, ADMIN_PASSWORD, type TestApp } from '../../helpers/app.ts';
import { Client, hiddenFields } from '../../helpers/client.ts';
import { createAccount } from '../../helpers/accounts.ts';
import { signedIn } from '../../helpers/login.ts';
import { checkDigitFor } from '../../../src/accounts/national-id.ts';
import { jobNamed } from '../../../src/governance/jobs/table.ts';
import { runJobNow } from '../../../src/governance/jobs/scheduler.ts';
import { makeHierarchy, makeCitizen, makeCrl, startPkiServer, signPkcs7, type Issued, type PkiServer } from '../../helpers/pki.ts';

export interface JsonRes { status: number; body: any }
export async function json(c: Client, path: string, body: Record<string, unknown>, method = 'POST'): Promise<JsonRes> {
  const r = await c.request(method, path, JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' });
  let parsed: unknown = r.body;
  try { parsed = JSON.parse(r.body); } catch { /* an HTML page */ }
  return { status: r.status, body: parsed };
}

export async function setPolicy(t: TestApp, oid: string, settings: Record<string, unknown>): Promise<void> {
  const now = t.clock.now();
  await t.deps.db.insertInto('policies').values({ oid, settings: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) => oc.column('oid').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now })).execute();
}

export const nationalIdFor = (i: number, prefix = 'B2') => { const first9 = `${prefix}${String(3456000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

export interface CertWorld {
  pki: PkiServer;
  h: Awaited<ReturnType<typeof makeHierarchy>>;
  /** An account (password, or `kind` initial/not activated) and its card (G3, CN = name, last 4 of the national ID). */
  citizen(o?: { unit?: string; name?: string; password?: string; kind?: 'password' | 'initial'; notAfter?: Date; email?: string }): Promise<{ accountId: number; username: string; card: Issued; nationalId: string }>;
  /** Registers `card` in the signed-in browser `c` (challenge, the card's signature, the answer). */
  register(c: Client, card: Issued): Promise<JsonRes>;
  /** Certificate sign-in from `c` (a fresh browser by default). */
  login(card: Issued, c?: Client, next?: string): Promise<JsonRes & { c: Client }>;
  close(): Promise<void>;
}

let n = 0;

export async function certWorld(t: TestApp, idPrefix = 'B2'): Promise<CertWorld> {
  const h = await makeHierarchy();
  const pki = await startPkiServer([h.g2, h.g3]);
  const admin = await signedIn(t, ADMIN_USERNAME, ADMIN_PASSWORD);
  for (const [ca, crl] of [[h.root, ''], [h.g3, `${pki.url}/g3.crl`]] as const) {
    const r = await admin.submit('/admin/certificates/trust', '/admin/certificates/trust', { certificate: ca.pem, crlUrl: crl });
    assert.equal(r.status, 303, r.body.slice(0, 300));
  }
  pki.crls.set('/g3.crl', await makeCrl(h.g3, [], { thisUpdate: t.clock.now(), nextUpdate: new Date(t.clock.now().getTime() + 200 * 86_400_000) }));
  const run = await runJobNow(t.deps, jobNamed('cert.crl.refresh')!);
  assert.equal(run.status, 'finished', run.error ?? '');

  /** A path for `c`: a Client('') (absolute URLs, as signInThrough uses) gets the app's origin. */
  const at = (c: Client, path: string) => (c.base ? path : t.url + path);
  const csrfOf = async (c: Client) => hiddenFields((await c.get(at(c, '/account/certificates'))).body)._csrf;
  return {
    pki, h,
    async citizen(o = {}) {
      const i = ++n;
      const name = o.name ?? '林建國';
      const nationalId = nationalIdFor(i, idPrefix);
      const username = `${idPrefix.toLowerCase()}cit${String(i).padStart(3, '0')}`;
      const accountId = await createAccount(t.deps, {
        username, password: o.password ?? 'Correct-Horse-9', unitOid: o.unit, name, kind: o.kind,
        state: o.kind === 'initial' ? 'not_activated' : 'enabled',
        expiresAt: o.kind === 'initial' ? new Date(t.clock.now().getTime() + 86_400_000) : null,
        profile: { nationalId, birthMonth: 7, birthDay: 25, email: o.email ?? `${username}@example.gov.tw` },
      });
      const card = await makeCitizen(h.g3, { name, last4: nationalId.slice(-4), crlUrl: `${pki.url}/g3.crl`, notAfter: o.notAfter });
      return { accountId, username, card, nationalId };
    },
    async register(c, card) {
      const ch = await json(c, at(c, '/account/certificates/challenge'), { _csrf: await csrfOf(c) });
      assert.equal(ch.status, 200, JSON.stringify(ch.body));
      return json(c, at(c, '/account/certificates'), { _csrf: await csrfOf(c), format: 'pkcs7', signature: await signPkcs7(card, ch.body.tbs), tbs: ch.body.tbs });
    },
    async login(card, c = new Client(t.url), next) {
      // The page's token: a browser that is signed in already (a step-up) posts with it.
      const { _csrf } = hiddenFields((await c.get(at(c, `/login/certificate${next ? `?next=${encodeURIComponent(next)}` : ''}`))).body);
      const ch = await json(c, at(c, '/login/certificate/challenge'), _csrf ? { _csrf } : {});
      assert.equal(ch.status, 200);
      const r = await json(c, at(c, '/login/certificate'), { ...(_csrf ? { _csrf } : {}), format: 'pkcs7', signature: await signPkcs7(card, ch.body.tbs), tbs: ch.body.tbs, ...(next ? { next } : {}) });
      return { ...r, c };
    },
    close: () => pki.close(),
  };
}
