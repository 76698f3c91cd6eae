// The approver set in SQL equals `authorize` (REQ-4, ADM-2, ADM-6): for random grants (every kind,
// nested and look-alike jurisdictions, category sets with and without '*') and random requests
// (organisation, step kind, categories), the accounts approversQuery finds are exactly the live
// accounts for which authorize(actor, 'request.decide', …) holds, requester and subject excepted.
// And countApprovers equals the number of accounts that actually find the request in their
// review queue (GET /api/v1/requests/queue), for every request type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { person, api, AGENCY, UNIT, type Person } from '../helpers/requests.ts';
import { authorize, GRANT_KINDS, type Actor, type GrantKind, type RequestStepKind } from '../../src/access/authorize.ts';
import { approversQuery, stepTarget, LIVE_STATES } from '../../src/requests/approvers-sql.ts';
import { countApprovers, submitRequest } from '../../src/requests/engine.ts';
import { REQUEST_TYPE_CODES } from '../../src/requests/types/index.ts';
import { loadActor } from '../../src/access/actor.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { giveRoles } from '../helpers/factories.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const OIDS = ['2.16.886.101', '2.16.886.101.90027', AGENCY, UNIT, UNIT + '.20033', '2.16.886.101.9002', '2.16.886.101.9002.20002', '2.16.886.101.90029.20002', '2.16.886.111'];
const CATEGORIES = ['csm', 'bms', 'fms'];
const STEPS: RequestStepKind[] = ['supervisor', 'administrator', 'central'];
const STATES = ['enabled', 'not_activated', 'disabled', 'pending'];

const grantArb = fc.record({
  kind: fc.constantFrom<GrantKind>(...GRANT_KINDS),
  oid: fc.constantFrom(...OIDS),
  categories: fc.oneof(fc.subarray(CATEGORIES), fc.constant(['*']), fc.subarray([...CATEGORIES, '*'])),
});
const targetArb = fc.record({ org: fc.constantFrom(...OIDS), step: fc.constantFrom(...STEPS), categories: fc.subarray(CATEGORIES) });

test('REQ-4 ADM-2: the SQL approver set equals the accounts authorize() lets decide (property, random grants and requests)', async () => {
  const POOL = 10;
  const ids: number[] = [];
  for (let i = 0; i < POOL; i++) ids.push(await createAccount(t.deps, { username: `pool${String(i).padStart(4, '0')}`, password: 'Correct-Horse-9', unitOid: UNIT }));
  await fc.assert(fc.asyncProperty(
    fc.array(fc.array(grantArb, { maxLength: 3 }), { minLength: POOL, maxLength: POOL }),
    fc.array(fc.constantFrom(...STATES), { minLength: POOL, maxLength: POOL }),
    fc.array(targetArb, { minLength: 1, maxLength: 8 }),
    fc.subarray(ids, { maxLength: 2 }),
    async (grants, states, targets, excluded) => {
      await t.deps.db.deleteFrom('admin_grants').where('account_id', 'in', ids).execute();
      for (const [i, gs] of grants.entries()) {
        await t.deps.db.updateTable('accounts').set({ state: states[i] }).where('id', '=', ids[i]).execute();
        if (gs.length) await t.deps.db.insertInto('admin_grants').values(gs.map((g) => ({ account_id: ids[i], kind: g.kind, jurisdiction_oid: g.oid, categories: [...g.categories] }))).execute();
      }
      const actors: Actor[] = await Promise.all(ids.map((id) => loadActor(t.deps, id)));
      for (const target of targets) {
        const sql = (await approversQuery(t.deps.db, stepTarget(target.org, target.step, target.categories), excluded).select('a.id').where('a.id', 'in', ids).execute()).map((r) => r.id).sort((a, b) => a - b);
        const expected = actors.filter((a, i) => LIVE_STATES.includes(states[i]) && !excluded.includes(a.accountId)
          && authorize(a, 'request.decide', { oid: target.org, step: target.step, categories: target.categories })).map((a) => a.accountId).sort((a, b) => a - b);
        assert.deepEqual(sql, expected, JSON.stringify({ target, grants: grants.map((g, i) => [ids[i], states[i], g]) }));
      }
    },
  ), { numRuns: 60 });
  await t.deps.db.deleteFrom('admin_grants').where('account_id', 'in', ids).execute();
});

test('ADM-6 REQ-4: countApprovers equals the number of accounts that find the request in their review queue, for every request type', async () => {
  // Approvers of every kind around the agency, inside and outside, with and without the categories.
  const specs: { username: string; grants: { kind: GrantKind; oid: string; categories?: string[] }[] }[] = [
    { username: 'qsupagen1', grants: [{ kind: 'unit_supervisor', oid: AGENCY }] },
    { username: 'qsupunit1', grants: [{ kind: 'unit_supervisor', oid: UNIT }] },
    { username: 'qsupsibl1', grants: [{ kind: 'unit_supervisor', oid: '2.16.886.101.90029.20002' }] },
    { username: 'qracsm001', grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['csm'] }] },
    { username: 'qrabms001', grants: [{ kind: 'registration_admin', oid: AGENCY, categories: ['bms'] }] },
    { username: 'qraall001', grants: [{ kind: 'registration_admin', oid: '2.16.886.101.90027', categories: ['*'] }] },
    { username: 'qralook01', grants: [{ kind: 'registration_admin', oid: '2.16.886.101.9002', categories: ['*'] }] },
    { username: 'qrachild1', grants: [{ kind: 'registration_admin', oid: UNIT + '.20033', categories: ['*'] }] },
    { username: 'qmainunit', grants: [{ kind: 'main_account', oid: UNIT, categories: ['csm', 'bms'] }] },
    { username: 'qhelpdsk1', grants: [{ kind: 'helpdesk', oid: AGENCY }] },
    { username: 'qplainusr', grants: [] },
  ];
  const people: Person[] = [];
  for (const s of specs) people.push(await person(t, { username: s.username, name: '審核測試', unit: AGENCY, grants: s.grants }));
  const central = await person(t, { username: 'qcentral1', name: '中央測試', unit: '2.16.886.101', grants: [{ kind: 'central', oid: '2.16.886.101' }] });
  people.push(central);
  const requester = await person(t, { username: 'qrequest1', name: '申請測試' });
  await giveRoles(t.deps, requester.id, 'bms_user');
  const pending = await createAccount(t.deps, { username: 'qapplicant', password: 'Correct-Horse-9', unitOid: UNIT, state: 'pending' });
  // The requester is also a supervisor of its own unit: never its own approver.
  await createGrant(t.deps, null, { accountId: requester.id, kind: 'unit_supervisor', jurisdictionOid: UNIT, categories: [] }, null);

  const submitted: { id: number; type: string; systems: string[]; org: string; exclude: (number | null)[] }[] = [];
  const submit = async (type: (typeof REQUEST_TYPE_CODES)[number], payload: Record<string, unknown>, o: { org?: string; requester?: number | null; subject?: number | null } = {}) => {
    const org = o.org ?? UNIT;
    const { id } = await t.deps.db.transaction().execute((trx) => submitRequest(trx, t.deps, {
      type, orgOid: org, requesterAccountId: o.requester === undefined ? requester.id : o.requester, subjectAccountId: o.subject, payload,
    }));
    const row = await t.deps.db.selectFrom('requests').select(['systems', 'requester_account_id', 'subject_account_id']).where('id', '=', id).executeTakeFirstOrThrow();
    submitted.push({ id, type, systems: row.systems, org, exclude: [row.requester_account_id, row.subject_account_id] });
  };
  await submit('account_application', { accountId: pending, roles: ['csm_user', 'bms_user'] }, { org: AGENCY, requester: null, subject: pending });
  await submit('permission_add', { role: 'csm_user' });
  await submit('permission_remove', { role: 'bms_user' });
  await submit('registration_admin', { action: 'designate', jurisdictionOid: UNIT, categories: ['csm'], reason: 'x' });
  await submit('user_change', { action: 'add', account: { name: '新人', username: 'qnewuser1' }, roles: ['fms_user'], reason: 'x' });
  await submit('one_day_password', { reason: 'x' });
  await submit('profile_change', { name: '新名字', reason: 'x' });
  // GOV-2: an account of the unit the inactivity sweep disabled, re-enabled through a request.
  const idle = await createAccount(t.deps, { username: 'qidleacct', password: 'Correct-Horse-9', unitOid: UNIT, state: 'disabled' });
  await t.deps.db.insertInto('inactivity_periods').values({ account_id: idle, basis_at: t.clock.now(), inactive_at: t.clock.now(), disabled_at: t.clock.now() }).execute();
  await submit('account_reenable', { reason: 'x' }, { subject: idle });
  assert.deepEqual([...new Set(submitted.map((s) => s.type))].sort(), [...REQUEST_TYPE_CODES].sort(), 'every type');

  const queues = new Map<number, number[]>();
  for (const p of [...people, requester]) queues.set(p.id, (await api(t, p, 'GET', '/queue')).json.items.map((i: { id: number }) => i.id));
  for (const s of submitted) {
    const seeing = [...queues].filter(([, q]) => q.includes(s.id)).length;
    const count = await countApprovers(t.deps.db, { type: s.type as (typeof REQUEST_TYPE_CODES)[number], orgOid: s.org, systems: s.systems, exclude: s.exclude });
    // Accounts of other tests in this file hold no grants any more; the bootstrap central authority counts but has no token here.
    const bootstrapCentral = 1;
    assert.equal(count, seeing + bootstrapCentral, `${s.type}: countApprovers ${count} vs ${seeing} queues (+ the bootstrap central authority)`);
    assert.ok(queues.get(central.id)!.includes(s.id), 'the central authority may decide every step');
    assert.ok(!queues.get(requester.id)!.includes(s.id), 'never the requester');
    for (const u of ['qsupsibl1', 'qralook01', 'qrachild1', 'qhelpdsk1', 'qplainusr']) {
      assert.ok(!queues.get(people.find((p) => p.username === u)!.id)!.includes(s.id), `${u} never sees ${s.type}`);
    }
  }
  const byType = (type: string) => submitted.find((s) => s.type === type)!.id;
  const sees = (u: string, type: string) => queues.get(people.find((p) => p.username === u)!.id)!.includes(byType(type));
  assert.ok(sees('qracsm001', 'permission_add') && !sees('qrabms001', 'permission_add'), 'categories decide');
  assert.ok(!sees('qracsm001', 'account_application') && sees('qraall001', 'account_application'), 'csm+bms needs a grant covering both');
  assert.ok(sees('qsupagen1', 'one_day_password') && sees('qsupunit1', 'one_day_password') && !sees('qracsm001', 'one_day_password'), 'supervisor steps are the supervisors\'');
  assert.ok(!sees('qsupagen1', 'account_application'), 'a supervisor decides no administrator step');
  assert.ok(sees('qsupagen1', 'registration_admin') && !sees('qraall001', 'registration_admin'), 'D-06-10: the supervisor first; no registration administrator ever');
});
