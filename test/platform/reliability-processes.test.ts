// Issue 15, crash and restart with real processes (OPS-2, GOV-1, ADM-3, ADM-5, REQ-4): two
// `tessera serve` processes on one PostgreSQL database.
// - kill -9: 200 administrative operations at once over both (accounts created, modified, roles
//   set, requests decided); one instance is killed with SIGKILL in the middle and started again.
//   Every operation a client saw acknowledged is there; none is half-done (its change, its audit
//   event and its outbox mail all there or all absent, checked in the database); the audit chain
//   verifies (`tessera audit verify`); each mail reaches the SMTP receiver exactly once.
// - Rolling restart through a small proxy (round robin over the instances whose /readyz answered
//   200 at its last poll, no retries): SIGTERM one instance, start it again, then the other, under
//   steady load: with TESSERA_DRAIN_MS at least the poll period, not one request fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { startTestApp, freshPgDatabase, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { startSmtp } from '../helpers/mail.ts';
import { createAccount } from '../helpers/accounts.ts';
import { person, api as requestApi, nationalIdOf, AGENCY, UNIT } from '../helpers/requests.ts';
import { runTessera } from '../helpers/cli.ts';
import { serve, ready, kill, freePort, type Served } from '../helpers/serve.ts';
import { setPolicy } from '../../src/orgs/service.ts';
import { loadActor } from '../../src/access/actor.ts';
import { requestNumber } from '../../src/requests/format.ts';

const PG = process.env.TESSERA_TEST_PG_URL;
const ON_PG = 'runs in the PostgreSQL pass (two processes on one database)';

async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Op = { kind: 'create' | 'modify' | 'roles' | 'decide'; key: string; target: number; acked?: boolean; status?: number | string };

test('OPS-2 GOV-1 ADM-3 ADM-5 REQ-4 issue 15: kill -9 of one of two instances during 200 administrative operations: acknowledged ones all there, none half-done, the chain verifies, each mail sent once', { skip: !PG && ON_PG }, async () => {
  const smtp = await startSmtp();
  const env = { DATABASE_URL: await freshPgDatabase(PG!), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex') };
  let s: TestApp | undefined, a: Served | undefined, b: Served | undefined;
  try {
    // Set-up in-process on the same database (migrated, bootstrapped); it sends and seals nothing.
    s = await startTestApp({ env: { ...env, TESSERA_OUTBOX_POLL_MS: '0' } });
    const central = await s.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
    const policy = await setPolicy(s.deps, await loadActor(s.deps, central.id), UNIT, { 'initialPassword.scheme': 'email_link' }, null);
    assert.ok(policy.ok, JSON.stringify(policy));
    const admin = await person(s, { username: 'crashadmin', name: '甲管理', unit: AGENCY, grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['*'] }] });
    // A person has one pending request per role: ten requesters, two roles each.
    const requesters = [];
    for (let i = 0; i < 10; i++) requesters.push(await person(s, { username: `crashuser${i}`, name: '申請者' }));
    const existing = await Promise.all(Array.from({ length: 100 }, (_, i) => createAccount(s!.deps, { username: `crashold${i}`, password: 'Correct-Horse-9', unitOid: UNIT })));
    const requests: number[] = [];
    const requesterOf = new Map<number, string>();
    for (let i = 0; i < 20; i++) {
      const requester = requesters[i % 10];
      const r = await requestApi(s, requester, 'POST', '', { type: 'permission_add', role: i < 10 ? 'csm_user' : 'bms_user', reason: `crash ${i}` });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      requests.push(r.json.id);
      requesterOf.set(r.json.id, requester.email);
    }
    const ops: Op[] = [
      ...Array.from({ length: 80 }, (_, i): Op => ({ kind: 'create', key: `crashnew${i}`, target: i })),
      ...existing.slice(0, 50).map((id, i): Op => ({ kind: 'modify', key: `科員${i}`, target: id })),
      ...existing.slice(50).map((id): Op => ({ kind: 'roles', key: 'csm_user', target: id })),
      ...requests.map((id): Op => ({ kind: 'decide', key: 'approved', target: id })),
    ].sort(() => Math.random() - 0.5);
    assert.equal(ops.length, 200);

    // Two instances; both seal (a lease elects one); only B sends mail (a killed sender's lease
    // would hold its claimed rows for the outbox lease, 5 minutes, before another instance retries).
    const common = { ...env, SMTP_URL: smtp.url, TESSERA_AUDIT_SEAL_MS: '200', TESSERA_AUDIT_CHECKPOINT_MS: '1000', TESSERA_DRAIN_MS: '0' };
    [a, b] = await Promise.all([serve({ ...common, TESSERA_OUTBOX_POLL_MS: '0' }), serve({ ...common, TESSERA_OUTBOX_POLL_MS: '200' })]);
    await Promise.all([ready(a), ready(b)]);
    let firstRefusal: string | undefined;
    const call = async (base: string, method: string, path: string, body: unknown) => {
      const r = await fetch(base + '/api/v1' + path, { method, headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await r.text();
      if (r.status >= 400) firstRefusal ??= text;
      return r.status;
    };
    const run = async (op: Op, base: string) => {
      try {
        op.status = op.kind === 'create' ? await call(base, 'POST', '/accounts', { unitOid: UNIT, username: op.key, name: '林新人', email: `${op.key}@example.gov.tw`, nationalId: nationalIdOf(5000 + op.target) })
          : op.kind === 'modify' ? await call(base, 'PATCH', `/accounts/${op.target}`, { title: op.key })
          : op.kind === 'roles' ? await call(base, 'PUT', `/accounts/${op.target}/roles`, { roles: [op.key] })
          : await call(base, 'POST', `/requests/${op.target}/decision`, { decision: 'approved', comment: '同意', step: 1 });
        op.acked = op.status >= 200 && op.status < 300;
      } catch (e) { op.status = String((e as Error).cause ?? e); op.acked = false; }
    };
    let next = 0, killedAt = -1, aUp = true;
    let restarted: Promise<Served> | undefined;
    const worker = async () => {
      while (next < ops.length) {
        const i = next++;
        if (i === 70 && a) {
          // Mid-way: A dies without a word (transactions under way are rolled back), then comes back.
          killedAt = i;
          // The requests already sent to A fail; the load balancer notices within its poll.
          setTimeout(() => { aUp = false; }, 100);
          a.child.kill('SIGKILL');
          const port = a.port;
          restarted = a.exited.then(() => serve({ ...common, TESSERA_OUTBOX_POLL_MS: '0' }, port));
          void restarted.then(async (x) => { await ready(x); a = x; aUp = true; });
        }
        // As a load balancer would: nothing goes to A from its crash until it is ready again.
        await run(ops[i], i % 2 && aUp ? a!.url : b!.url);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.equal(killedAt, 70);
    a = await restarted!;
    await ready(a);
    const acked = ops.filter((o) => o.acked);
    const refused = ops.filter((o) => !o.acked);
    const counts = new Map<string, number>();
    for (const o of ops) counts.set(`${o.kind} ${o.status}`, (counts.get(`${o.kind} ${o.status}`) ?? 0) + 1);
    const summary = JSON.stringify([...counts]);
    assert.ok(acked.length >= 100, `most operations acknowledged: ${acked.length} ${summary} ${firstRefusal}`);
    for (const o of acked) assert.ok([200, 201].includes(o.status as number), `${o.kind} ${o.status}`);
    // The refused ones failed for the crash (connection lost or refused), nothing else.
    for (const o of refused) assert.equal(typeof o.status, "string", `${o.kind} answered ${o.status}: ${firstRefusal}`);

    const db = s.deps.db;
    const eventsOf = async (action: string, targetIds: number[]) => targetIds.length === 0 ? [] : db.selectFrom('audit_events').select(['target_id', 'details'])
      .where('action', '=', action as never).where('target_id', 'in', targetIds.map(String)).execute();
    // Creates: account row ⇔ audit event ⇔ set-password mail in the outbox; every acknowledged one there.
    const created = await db.selectFrom('accounts').select(['id', 'username', 'email']).where('username', 'like', 'crashnew%').execute();
    const createdNames = new Set(created.map((c) => c.username));
    for (const o of acked.filter((x) => x.kind === 'create')) assert.ok(createdNames.has(o.key), `acknowledged create ${o.key} is there`);
    const createEvents = await db.selectFrom('audit_events').select('target_id').where('action', '=', 'account.create').where('actor_account_id', '=', admin.id).execute();
    assert.deepEqual(createEvents.map((e) => Number(e.target_id)).sort((x, y) => x - y), created.map((c) => c.id).sort((x, y) => x - y), 'one create event per created account, none without');
    const mails = await db.selectFrom('outbox').select(['recipient', 'sent_at']).where('recipient', 'like', 'crashnew%').execute();
    assert.deepEqual(mails.map((m) => m.recipient).sort(), created.map((c) => c.email!).sort(), 'one set-password mail per created account, none without');
    // Modifies: the title ⇔ its update event.
    const titled = await db.selectFrom('accounts').select(['id', 'title']).where('id', 'in', existing.slice(0, 50)).execute();
    const updates = await eventsOf('account.update', existing.slice(0, 50));
    for (const r of titled) assert.equal(r.title !== null, updates.some((e) => Number(e.target_id) === r.id), `account ${r.id}: change and event together`);
    for (const o of acked.filter((x) => x.kind === 'modify')) assert.equal(titled.find((r) => r.id === o.target)!.title, o.key);
    assert.equal(updates.length, titled.filter((r) => r.title !== null).length, 'one event per change');
    // Roles: the grant ⇔ its role.set event.
    const granted = await db.selectFrom('role_grants').select('account_id').where('account_id', 'in', existing.slice(50)).where('role_code', '=', 'csm_user').execute();
    const roleEvents = await eventsOf('role.set', existing.slice(50));
    assert.deepEqual(roleEvents.map((e) => Number(e.target_id)).sort(), granted.map((g) => g.account_id).sort());
    for (const o of acked.filter((x) => x.kind === 'roles')) assert.ok(granted.some((g) => g.account_id === o.target), `role of ${o.target}`);
    // Decisions: the decision row ⇔ its audit event ⇔ its mail to the requester.
    const decided = await db.selectFrom('request_decisions').select('request_id').where('request_id', 'in', requests).execute();
    const decideEvents = await db.selectFrom('audit_events').select('target_id').where('action', '=', 'request.decide').where('target_id', 'in', requests.map(String)).execute();
    assert.deepEqual(decideEvents.map((e) => Number(e.target_id)).sort(), decided.map((d) => d.request_id).sort());
    for (const o of acked.filter((x) => x.kind === 'decide')) assert.ok(decided.some((d) => d.request_id === o.target), `decision of ${o.target}`);

    // Every mail out, each received exactly once.
    await until(async () => (await db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute()).length === 0, 30_000, 'outbox drained');
    await new Promise((r) => setTimeout(r, 500));
    for (const c of created) assert.equal(smtp.received.filter((m) => m.to === c.email).length, 1, `one mail to ${c.email}`);
    // Each outbox row has its own Message-ID (the idempotency key), received once.
    const ids = smtp.received.map((m) => m.messageId);
    assert.ok(ids.every((x) => /^<outbox-\d+\.[0-9a-z]+@[A-Za-z0-9.-]+>$/.test(x ?? '')), String(ids[0]));
    assert.equal(new Set(ids).size, ids.length, 'no Message-ID received twice');
    const sentRows = await db.selectFrom('outbox').select('id').where('channel', '=', 'mail').execute();
    assert.equal(ids.length, sentRows.length, 'one received mail per outbox row');
    for (const d of decided) {
      const n = smtp.received.filter((m) => m.to === requesterOf.get(d.request_id) && m.subject.includes(requestNumber(d.request_id))).length;
      assert.equal(n, 1, `one decision mail for ${requestNumber(d.request_id)}`);
    }

    // Both stop gracefully (sealing and signing everything), then the chain verifies.
    for (const x of [a, b]) x.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0]);
    const v = runTessera({ ...env, NODE_ENV: 'test' }, 'audit', 'verify');
    assert.equal(v.code, 0, v.stderr + v.stdout);
    assert.match(v.stdout, /^audit chain intact: \d+ events verified$/m);
    assert.match(v.stdout, /; 0 events after it not yet covered$/m, 'the graceful stops signed everything');
    assert.doesNotMatch(v.stdout, /not yet sealed/);
  } finally {
    kill(a); kill(b);
    await s?.close();
    await smtp.close();
  }
});

test('OPS-2 OPS-4 issue 15: a rolling restart (SIGTERM, start again, one instance after the other) behind a proxy that follows /readyz loses not one request', { skip: !PG && ON_PG }, async () => {
  const env = {
    DATABASE_URL: await freshPgDatabase(PG!), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    TESSERA_BOOTSTRAP_PASSWORD: 'Tessera-Bridge-42', TESSERA_DRAIN_MS: '600', TESSERA_OUTBOX_POLL_MS: '0', TESSERA_AUDIT_SEAL_MS: '500',
  };
  const POLL_MS = 250;
  const ports = [await freePort(), await freePort()];
  const inst: (Served | undefined)[] = [];
  const up = new Set<number>();
  let stopped = false;
  let proxy: http.Server | undefined;
  try {
    // The first start bootstraps the database; the second joins it.
    inst[0] = await serve(env, ports[0]);
    await ready(inst[0]);
    inst[1] = await serve(env, ports[1]);
    await ready(inst[1]);
    const t0 = Date.now();
    // The proxy's view of the instances: /readyz polled every POLL_MS.
    const poll = async () => {
      while (!stopped) {
        await Promise.all(ports.map(async (p, i) => {
          // As a load balancer's health check: an answer other than 200, or a refused connection,
          // takes the instance out; a slow answer (a busy machine) changes nothing.
          const r = await fetch(`http://127.0.0.1:${p}/readyz`, { signal: AbortSignal.timeout(2000) }).catch((e: Error) => e);
          if (r instanceof Error) { if (r.name !== 'TimeoutError') up.delete(i); return; }
          if (r.status === 200) up.add(i); else up.delete(i);
          await r.arrayBuffer();
        }));
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    const polling = poll();
    let turn = 0;
    const served = [0, 0];
    proxy = http.createServer((req, res) => {
      const live = [...up];
      if (live.length === 0) { res.writeHead(502).end('no instance ready'); return; }
      const i = live[turn++ % live.length];
      served[i]++;
      const upstream = http.request({ host: '127.0.0.1', port: ports[i], path: req.url, method: req.method, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode!, ur.headers);
        ur.pipe(res);
      });
      upstream.on('error', (e) => { if (!res.headersSent) res.writeHead(502); res.end(`upstream ${i}: ${e.message}`); });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as import('node:net').AddressInfo).port}`;
    await until(() => up.size === 2, 5000, 'proxy sees both');

    // Steady load: 6 clients, each a page and a JSON read after the other, no retries.
    const failures: string[] = [];
    let done = 0;
    const load = async () => {
      for (let k = 0; !stopped; k++) {
        const path = k % 2 ? '/login' : '/api/v1/orgs';
        try {
          const r = await fetch(proxyUrl + path);
          const body = await r.text();
          if (r.status !== 200) failures.push(`${path} ${r.status} ${body.slice(0, 120)}`);
        } catch (e) { failures.push(`${path} ${String((e as Error).cause ?? e)}`); }
        done++;
      }
    };
    const clients = Array.from({ length: 6 }, load);
    await new Promise((r) => setTimeout(r, 500));
    for (const i of [0, 1]) {
      const before = served[i];
      inst[i]!.child.kill('SIGTERM');
      assert.equal(await inst[i]!.exited, 0, inst[i]!.output().slice(-1000));
      inst[i] = await serve(env, ports[i]);
      await ready(inst[i]!);
      await until(() => up.has(i), 5000, `proxy sees instance ${i} again`);
      const after = served[i];
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(served[i] > after && after >= before, `instance ${i} serves again`);
    }
    stopped = true;
    await Promise.all(clients);
    await polling;
    assert.deepEqual(failures, [], `${failures.length} of ${done} requests failed`);
    assert.ok(done > 100, `steady load: ${done} requests`);
  } finally {
    stopped = true;
    for (const x of inst) kill(x);
    proxy?.close();
  }
});
