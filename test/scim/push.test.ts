// SSO-6: outbound SCIM push through the outbox, to a real SCIM receiver run in this test (it keeps
// users and groups, records every request and can be made to fail N times). Changes made through
// the admin API — create, update, disable, role changes, delete — arrive in order; a receiver that
// was down gets them once it is back (retries with backoff, driven by the injected clock); the
// system's SCIM page shows the last sync and the failures; nothing outside the subtree is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, ADMIN_USERNAME, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { jsonCall } from '../helpers/api.ts';
import { Client } from '../helpers/client.ts';
import { login } from '../helpers/login.ts';
import { loadActor } from '../../src/access/actor.ts';
import { setPolicy } from '../../src/orgs/service.ts';
import { drainWith, backoffMs } from '../../src/platform/outbox.ts';
import { scimPushSender } from '../../src/scim/push-sender.ts';
import { administrator, PASSWORD } from './helpers.ts';

const AGENCY = '2.16.886.101.90027.20002';
const SIBLING = '2.16.886.101.90029.20002';
const SECRET = 'receiver-issued-token-0123456789';

interface Seen { method: string; path: string; body: any }

/** A small SCIM service provider: Users and Groups in memory, every request recorded, `failNext` 503s. */
function receiver() {
  const users = new Map<string, any>();
  const groups = new Map<string, { displayName: string; members: Set<string> }>();
  const log: Seen[] = [];
  let seq = 0;
  const state = { failNext: 0, unauthorised: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      const url = new URL(req.url!, 'http://x');
      const path = url.pathname.replace(/^\/scim\/v2/, '');
      const reply = (status: number, b?: unknown) => { res.writeHead(status, { 'content-type': 'application/scim+json' }); res.end(b === undefined ? '' : JSON.stringify(b)); };
      if (req.headers.authorization !== `Bearer ${SECRET}`) { state.unauthorised++; return reply(401, { status: '401' }); }
      if (state.failNext > 0) { state.failNext--; return reply(503, { status: '503' }); }
      log.push({ method: req.method!, path: path + url.search, body });
      const [, kind, id] = path.split('/');
      const filter = url.searchParams.get('filter');
      const eq = filter ? /^(\w+) eq "(.*)"$/.exec(filter) : null;
      if (kind === 'Users') {
        if (req.method === 'GET' && eq) {
          const found = [...users.entries()].filter(([, u]) => String(u[eq[1]]).toLowerCase() === eq[2].toLowerCase());
          return reply(200, { totalResults: found.length, Resources: found.map(([uid, u]) => ({ ...u, id: uid })) });
        }
        if (req.method === 'POST') {
          if ([...users.values()].some((u) => u.userName.toLowerCase() === body.userName.toLowerCase())) return reply(409, { status: '409', scimType: 'uniqueness' });
          const uid = `u-${++seq}`;
          users.set(uid, body);
          return reply(201, { ...body, id: uid });
        }
        if (!users.has(id)) return reply(404, { status: '404' });
        if (req.method === 'PUT') { users.set(id, body); return reply(200, { ...body, id }); }
        if (req.method === 'DELETE') { users.delete(id); for (const g of groups.values()) g.members.delete(id); return reply(204); }
      }
      if (kind === 'Groups') {
        if (req.method === 'GET' && eq) {
          const found = [...groups.entries()].filter(([, g]) => g.displayName === eq[2]);
          return reply(200, { totalResults: found.length, Resources: found.map(([gid, g]) => ({ id: gid, displayName: g.displayName })) });
        }
        if (req.method === 'POST') {
          const gid = `g-${++seq}`;
          groups.set(gid, { displayName: body.displayName, members: new Set() });
          return reply(201, { id: gid, displayName: body.displayName });
        }
        const g = groups.get(id);
        if (!g) return reply(404, { status: '404' });
        if (req.method === 'PATCH') {
          for (const op of body.Operations) {
            if (op.op === 'add') for (const m of op.value) g.members.add(m.value);
            if (op.op === 'remove') { const m = /members\[value eq "(.*)"\]/.exec(op.path); if (m) g.members.delete(m[1]); }
          }
          return reply(200, { id, displayName: g.displayName });
        }
        if (req.method === 'DELETE') { groups.delete(id); return reply(204); }
      }
      reply(400, { status: '400' });
    });
  });
  return { server, users, groups, log, state };
}

let t: TestApp;
let rx: ReturnType<typeof receiver>;
let ra: { id: number; apiToken: string };
let rxUrl = '';
const drain = () => drainWith(t.deps, { scim: scimPushSender(t.deps) });
const api = (method: string, path: string, body?: unknown) => jsonCall(t, ra.apiToken, method, '/api/v1' + path, body);
const userByName = (name: string) => [...rx.users.entries()].find(([, u]) => u.userName === name);

before(async () => {
  // The instance's own outbox worker stays off: the test drains the outbox itself, step by step.
  t = await startTestApp({ env: { TESSERA_OUTBOX_POLL_MS: '0' } });
  rx = receiver();
  await new Promise<void>((ok) => rx.server.listen(0, '127.0.0.1', ok));
  rxUrl = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}/scim/v2`;
  const central = await loadActor(t.deps, (await t.deps.db.selectFrom('accounts').select('id').where('username', '=', ADMIN_USERNAME).executeTakeFirstOrThrow()).id);
  assert.ok((await setPolicy(t.deps, central, AGENCY, { 'initialPassword.scheme': 'email_link', 'nationalId.required': 'false' }, null)).ok);
  ra = await administrator(t, 'rapush01', 'registration_admin', AGENCY, ['csm']);
});
after(async () => { await t?.close(); await new Promise((ok) => rx?.server.close(ok)); });

test('SSO-6: a SCIM endpoint registered for a subtree gets its people at once (initial load), with Tessera\'s id as externalId, the secret never shown; outside the subtree nothing', async () => {
  const pre = await createAccount(t.deps, { username: 'pre00001', password: PASSWORD, unitOid: AGENCY, name: '既有人員', profile: { email: 'pre@example.gov.tw' } });
  await createAccount(t.deps, { username: 'outside1', password: PASSWORD, unitOid: SIBLING, name: '他機關' });
  const bad = await api('POST', '/systems/csm/scim-push', { jurisdictionOid: SIBLING, url: rxUrl, secret: SECRET });
  assert.equal(bad.status, 422, 'outside the issuer\'s grant');
  assert.equal((await api('POST', '/systems/csm/scim-push', { jurisdictionOid: AGENCY, url: 'http://receiver.example.gov.tw/scim', secret: SECRET })).status, 422, 'plain http to another machine');
  const r = await api('POST', '/systems/csm/scim-push', { jurisdictionOid: AGENCY, url: rxUrl, secret: SECRET });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.queued, 1);
  const row = await t.deps.db.selectFrom('scim_push_targets').selectAll().executeTakeFirstOrThrow();
  assert.ok(!row.secret_enc.includes(SECRET), 'the secret is stored encrypted');
  await drain();
  const [, u] = userByName('pre00001')!;
  assert.equal(u.externalId, String(pre));
  assert.equal(u.displayName, '既有人員');
  assert.equal(u.active, true);
  assert.equal(userByName('outside1'), undefined);
  const list = await api('GET', '/systems/csm/scim-push');
  assert.equal(list.status, 200);
  assert.equal(list.body.items[0].pending, 0);
  assert.ok(list.body.items[0].lastSuccessAt);
  assert.ok(!JSON.stringify(list.body).includes(SECRET));
});

test('SSO-6: create, update, disable and role changes made through the admin API arrive in order; a sign-in pushes nothing; a delete removes the user there', async () => {
  rx.log.length = 0;
  // Each change is drained before the next, as a worker polling every few seconds would.
  const created = await api('POST', '/accounts', { unitOid: AGENCY, username: 'push0001', name: '推送者', email: 'push0001@example.gov.tw', title: '科員' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  await drain();
  assert.equal((await api('PATCH', `/accounts/${id}`, { title: '科長' })).status, 200);
  await drain();
  assert.equal((await api('POST', `/accounts/${id}/state`, { state: 'disabled' })).status, 200);
  await drain();
  assert.equal((await api('PUT', `/accounts/${id}/roles`, { roles: ['csm_user'] })).status, 200);
  await drain();
  const mine = rx.log.filter((s) => s.body?.userName === 'push0001' || s.path.startsWith('/Groups'));
  assert.deepEqual(mine.map((s) => s.method + ' ' + s.path.split('/').slice(0, 2).join('/')), ['POST /Users', 'PUT /Users', 'PUT /Users', 'PUT /Users', 'POST /Groups', 'PATCH /Groups']);
  assert.equal(mine[0].body.title, '科員');
  assert.equal(mine[1].body.title, '科長', 'the update');
  assert.equal(mine[2].body.active, false, 'disabled');
  assert.equal(mine[3].body.active, false, 'the role change pushes the person (unchanged) and then the membership');
  const [remoteId, u] = userByName('push0001')!;
  assert.equal(u.externalId, String(id));
  const group = [...rx.groups.values()].find((g) => g.displayName === 'csm_user')!;
  assert.deepEqual([...group.members], [remoteId]);
  // A sign-in changes last-login columns only: nothing is pushed.
  const pre = await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'pre00001').executeTakeFirstOrThrow();
  await t.deps.db.updateTable('accounts').set({ last_password_login_at: t.clock.now() }).where('id', '=', pre.id).execute();
  rx.log.length = 0;
  assert.equal(await drain(), 0);
  // Role taken away, then the person deleted.
  assert.equal((await api('PUT', `/accounts/${id}/roles`, { roles: [] })).status, 200);
  await drain();
  assert.equal((await api('POST', '/accounts/delete', { ids: [id], confirm: true })).status, 200);
  await drain();
  assert.deepEqual(rx.log.map((s) => s.method + ' ' + s.path.split('/')[1]), ['PUT Users', 'PATCH Groups', 'DELETE Users']);
  assert.equal(group.members.size, 0);
  assert.equal(userByName('push0001'), undefined);
});

test('SSO-6 OPS-3: a receiver that is down gets the changes in order once it is back (retries with backoff from the injected clock); the system\'s page shows the failures and the last sync', async () => {
  rx.log.length = 0;
  rx.state.failNext = 3;
  const a = await createAccount(t.deps, { username: 'down0001', password: PASSWORD, unitOid: AGENCY, name: '停機中', profile: { email: 'd1@example.gov.tw' } });
  await t.deps.db.updateTable('accounts').set({ title: '第一版' }).where('id', '=', a).execute();
  await t.deps.db.updateTable('accounts').set({ title: '第二版' }).where('id', '=', a).execute();
  assert.equal(await drain(), 1, 'the first change is tried; the later ones of the same person wait behind it');
  let target = (await api('GET', '/systems/csm/scim-push')).body.items[0];
  assert.equal(target.failures, 1);
  assert.match(target.lastError, /503/);
  assert.equal(target.pending, 3);
  // The admin page shows it, in names, not codes.
  const client = new Client(t.url);
  await login(t, client, 'rapush01', PASSWORD);
  const html = (await client.get('/admin/systems/csm/scim-tokens')).body;
  assert.ok(html.includes('SCIM 推送') && html.includes(rxUrl) && html.includes('HTTP 503'), 'the SCIM page shows the endpoint and its last failure');
  assert.ok(!html.includes(SECRET));
  for (let i = 1; i <= 3; i++) {
    t.clock.advance(backoffMs(i) + 1);
    await drain();
  }
  assert.equal(rx.state.failNext, 0);
  const seen = rx.log.filter((s) => s.body?.userName === 'down0001');
  assert.deepEqual(seen.map((s) => s.method), ['POST', 'PUT', 'PUT']);
  assert.equal(userByName('down0001')![1].title, '第二版', 'caught up with the current state');
  target = (await api('GET', '/systems/csm/scim-push')).body.items[0];
  assert.equal(target.failures, 0);
  assert.equal(target.pending, 0);
  assert.equal(new Date(target.lastSuccessAt).getTime(), t.clock.now().getTime());
  // Removing the endpoint drops what waits for it; changes after that go nowhere.
  const removed = await api('POST', `/systems/csm/scim-push/${target.id}/remove`);
  assert.equal(removed.status, 200);
  await t.deps.db.updateTable('accounts').set({ title: '第三版' }).where('id', '=', a).execute();
  assert.equal(await drain(), 0);
});
