// Property tests for the one authorization decision (ADM-1, ADM-2, ADM-5, ADM-7). The oracles
// below restate the rules independently (arc-by-arc prefixes, the kind table from the SPEC), so a
// change to authorize.ts that widens any grant fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { authorize, scopeFor, systemScopeFor, type Action, type Actor, type Grant, type GrantKind } from './authorize.ts';

// A small arc alphabet makes prefixes, siblings and look-alikes (9002 / 90027) collide often.
const arc = fc.constantFrom('101', '9002', '90027', '90029', '20002', '20011', '7', '70');
const oid = fc.array(arc, { maxLength: 5 }).map((rest) => ['2', '16', '886', ...rest].join('.'));
const category = fc.constantFrom('csm', 'bms', 'fms', 'psm', 'isec', 'shs');
const categories = fc.uniqueArray(fc.oneof({ weight: 9, arbitrary: category }, { weight: 1, arbitrary: fc.constant('*') }), { maxLength: 3 });
const NON_CENTRAL: GrantKind[] = ['registration_admin', 'main_account', 'unit_supervisor', 'helpdesk'];
const grant = (kinds: GrantKind[] = NON_CENTRAL) => fc.record({ kind: fc.constantFrom(...kinds), jurisdictionOid: oid, categories });
const actorOf = (kinds: GrantKind[] = NON_CENTRAL) => fc.array(grant(kinds), { maxLength: 3 }).map((grants): Actor => ({ accountId: 7, grants }));

const ACCOUNT_ACTIONS: Action[] = ['account.view', 'account.create', 'account.update', 'account.state', 'account.delete',
  'account.resetPassword', 'account.oneDayPassword', 'account.unlock', 'account.resendMail', 'account.move'];
const EDITS: Action[] = ['account.create', 'account.update', 'account.state', 'account.delete', 'account.resetPassword',
  'account.oneDayPassword', 'account.move', 'role.assign', 'grant.create', 'grant.revoke'];
const anyAction = fc.constantFrom<Action>(...ACCOUNT_ACTIONS, 'role.assign', 'grant.create', 'grant.revoke',
  'org.manage', 'policy.manage', 'audit.read', 'system.manage', 'system.read');

/** Oracle: `root` is `o` or an arc-wise proper prefix of it (no string prefix tricks). */
const covers = (root: string, o: string) => {
  const r = root.split('.'), x = o.split('.');
  return r.length <= x.length && r.every((a, i) => a === x[i]);
};
/** Oracle: the SPEC's table of what each kind may do to accounts (ADM-1). */
const MAY: Record<string, Action[]> = {
  registration_admin: ACCOUNT_ACTIONS,
  main_account: ['account.view', 'account.create', 'account.update', 'account.state', 'account.delete', 'account.resetPassword', 'account.unlock', 'account.resendMail'],
  unit_supervisor: ['account.view'],
  helpdesk: ['account.view', 'account.unlock', 'account.resendMail'],
};
const catsCover = (outer: string[], inner: string[]) => outer.includes('*') || inner.every((c) => c !== '*' && outer.includes(c));

test('ADM-2: a grant never reaches a look-alike prefix (2.16.886.101.9002 does not cover 2.16.886.101.90027)', () => {
  fc.assert(fc.property(grant(), fc.integer({ min: 0, max: 9 }), fc.array(arc, { maxLength: 2 }), anyAction, category,
    (g, digit, below, action, cat) => {
      const lookAlike = [g.jurisdictionOid + String(digit), ...below].join('.');
      const actor: Actor = { accountId: 1, grants: [g] };
      return !authorize(actor, action, { oid: lookAlike, category: cat, grant: { kind: 'helpdesk', categories: [] } })
        || action === 'system.read';
    }), { numRuns: 2000 });
  const admin: Actor = { accountId: 1, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886.101.9002', categories: ['*'] }] };
  assert.equal(authorize(admin, 'account.view', { oid: '2.16.886.101.90027' }), false);
  assert.equal(authorize(admin, 'account.view', { oid: '2.16.886.101.90027.20002' }), false);
  assert.equal(authorize(admin, 'account.view', { oid: '2.16.886.101.9002.20002' }), true);
});

test('ADM-1 ADM-2: an account action is allowed exactly when one grant of a kind that may do it covers the unit', () => {
  fc.assert(fc.property(actorOf(), fc.constantFrom(...ACCOUNT_ACTIONS), oid, (actor, action, unit) => {
    const expected = actor.grants.some((g) => MAY[g.kind].includes(action) && covers(g.jurisdictionOid, unit));
    assert.equal(authorize(actor, action, { oid: unit }), expected);
  }), { numRuns: 3000 });
});

test('ADM-2: scopeFor is the set form of authorize (what the SQL predicate selects is what authorize allows)', () => {
  fc.assert(fc.property(actorOf(), fc.constantFrom(...ACCOUNT_ACTIONS), oid, (actor, action, unit) => {
    const scope = scopeFor(actor, action);
    assert.equal(scope.all, false);
    const inScope = !scope.all && scope.roots.some((r) => covers(r, unit));
    assert.equal(authorize(actor, action, { oid: unit }), inScope);
    // No redundant root: none lies inside another.
    if (!scope.all) for (const r of scope.roots) assert.ok(!scope.roots.some((o) => o !== r && covers(o, r)));
  }), { numRuns: 3000 });
  assert.deepEqual(scopeFor({ accountId: 1, grants: [{ kind: 'central', jurisdictionOid: '2.16.886', categories: ['*'] }] }, 'account.view'), { all: true });
  assert.deepEqual(scopeFor(null, 'account.view'), { all: false, roots: [] });
});

test('ADM-5 ADM-7: a role outside the grant\'s categories is refused; grants never combine into more than either gives', () => {
  fc.assert(fc.property(actorOf(), oid, category, (actor, unit, cat) => {
    const allowed = authorize(actor, 'role.assign', { oid: unit, category: cat });
    const oneGrantCovers = actor.grants.some((g) => (g.kind === 'registration_admin' || g.kind === 'main_account')
      && covers(g.jurisdictionOid, unit) && catsCover(g.categories, [cat]));
    assert.equal(allowed, oneGrantCovers);
  }), { numRuns: 3000 });
  // The seed's example: csm and bms granted; psm (psr_admin's category) is not.
  const admin: Actor = { accountId: 1, grants: [
    { kind: 'registration_admin', jurisdictionOid: '2.16.886.101.90027.20002', categories: ['csm', 'bms'] },
    { kind: 'registration_admin', jurisdictionOid: '2.16.886.101.90029.20002', categories: ['psm'] },
  ] };
  assert.equal(authorize(admin, 'role.assign', { oid: '2.16.886.101.90027.20002.20011', category: 'csm' }), true);
  assert.equal(authorize(admin, 'role.assign', { oid: '2.16.886.101.90027.20002.20011', category: 'psm' }), false, 'psm is granted only in the other subtree');
  assert.equal(authorize(admin, 'role.assign', { oid: '2.16.886.101.90027.20002.20011' }), false, 'no category, no role');
});

test('ADM-7: no one but the central authority creates registration-administrator or main-account grants', () => {
  fc.assert(fc.property(actorOf(), oid, fc.constantFrom<GrantKind>('registration_admin', 'main_account', 'central'), categories,
    (actor, j, kind, cats) => !authorize(actor, 'grant.create', { oid: j, grant: { kind, categories: cats } })), { numRuns: 3000 });
  const admin: Actor = { accountId: 1, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886.101.90027', categories: ['*'] }] };
  assert.equal(authorize(admin, 'grant.create', { oid: '2.16.886.101.90027.20002', grant: { kind: 'registration_admin', categories: ['csm'] } }), false);
  assert.equal(authorize(admin, 'grant.create', { oid: '2.16.886.101.90027.20002', grant: { kind: 'helpdesk', categories: ['csm'] } }), true);
});

test('ADM-7: a grant given never exceeds one of the giver\'s grants in jurisdiction or categories', () => {
  fc.assert(fc.property(actorOf(), oid, fc.constantFrom<GrantKind>(...NON_CENTRAL), categories, (actor, j, kind, cats) => {
    const allowed = authorize(actor, 'grant.create', { oid: j, grant: { kind, categories: cats } });
    const within = actor.grants.some((g) => g.kind === 'registration_admin' && (kind === 'helpdesk' || kind === 'unit_supervisor')
      && covers(g.jurisdictionOid, j) && catsCover(g.categories, cats));
    assert.equal(allowed, within);
  }), { numRuns: 3000 });
});

test('ADM-1: help-desk operators and unit supervisors never edit, assign roles or give grants', () => {
  fc.assert(fc.property(actorOf(['helpdesk', 'unit_supervisor']), fc.constantFrom(...EDITS), oid, category,
    (actor, action, unit, cat) => !authorize(actor, action, { oid: unit, category: cat, grant: { kind: 'helpdesk', categories: [] } })), { numRuns: 2000 });
});

test('ADM-1: only the central authority manages organisations, policy, the audit trail and the system registry', () => {
  fc.assert(fc.property(actorOf(), fc.constantFrom<Action>('org.manage', 'policy.manage', 'audit.read', 'system.manage'), oid,
    (actor, action, o) => !authorize(actor, action, { oid: o })));
  const central: Actor = { accountId: 1, grants: [{ kind: 'central', jurisdictionOid: '2.16.886', categories: ['*'] }] };
  fc.assert(fc.property(anyAction, oid, category, (action, o, cat) => authorize(central, action, { oid: o, category: cat })));
});

test('no actor, no grant, or no target: refused', () => {
  fc.assert(fc.property(anyAction, oid, (action, o) => !authorize(null, action, { oid: o })));
  fc.assert(fc.property(fc.constantFrom(...ACCOUNT_ACTIONS), oid, (action, o) => !authorize({ accountId: 1, grants: [] }, action, { oid: o })));
  const admin: Actor = { accountId: 1, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886.101', categories: ['*'] } satisfies Grant] };
  for (const action of ACCOUNT_ACTIONS) assert.equal(authorize(admin, action), false, `${action} without a target`);
});

test('SSO-2 SSO-5 REQ-4: client, announcement and request-step decisions follow the grant\'s kind, categories and jurisdiction', () => {
  const ra: Actor = { accountId: 1, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886.101.90027', categories: ['csm'] }] };
  const sup: Actor = { accountId: 2, grants: [{ kind: 'unit_supervisor', jurisdictionOid: '2.16.886.101.90027.20002', categories: [] }] };
  const desk: Actor = { accountId: 3, grants: [{ kind: 'helpdesk', jurisdictionOid: '2.16.886.101.90027', categories: ['*'] }] };
  const owned = '2.16.886.101.90027.20002';
  assert.equal(authorize(ra, 'client.manage', { oid: owned, category: 'csm' }), true);
  assert.equal(authorize(ra, 'client.manage', { oid: owned, category: 'bms' }), false);
  assert.equal(authorize(ra, 'client.manage', { category: 'csm' }), false, 'no owner, no client');
  assert.equal(authorize(ra, 'client.manage', {}), false);
  assert.equal(authorize(desk, 'client.manage', { oid: owned, category: 'csm' }), false);
  assert.equal(authorize(ra, 'announcement.manage', { oid: owned, category: 'csm' }), true);
  assert.equal(authorize(ra, 'announcement.manage', {}), false, 'platform-wide announcements are the central authority\'s');
  const inside = '2.16.886.101.90027.20002';
  assert.equal(authorize(ra, 'request.decide', { oid: inside, step: 'administrator', categories: ['csm'] }), true);
  assert.equal(authorize(ra, 'request.decide', { oid: inside, step: 'administrator', categories: ['csm', 'bms'] }), false);
  assert.equal(authorize(ra, 'request.decide', { oid: '2.16.886.101.9002', step: 'administrator', categories: [] }), false);
  assert.equal(authorize(ra, 'request.decide', { oid: inside, step: 'supervisor' }), false);
  assert.equal(authorize(sup, 'request.decide', { oid: inside, step: 'supervisor' }), true);
  assert.equal(authorize(sup, 'request.decide', { oid: '2.16.886.101.90027', step: 'supervisor' }), false);
  assert.equal(authorize(sup, 'request.decide', { oid: inside, step: 'administrator', categories: [] }), false);
  assert.equal(authorize(ra, 'request.decide', { oid: inside, step: 'central' }), false);
  assert.equal(authorize(desk, 'request.decide', { oid: inside, step: 'supervisor' }), false);
});

test('SSO-1 ADM-2 (issue 9 item 1): a system\'s client and announcements are managed exactly by grants whose jurisdiction covers its owner and whose categories cover its category', () => {
  const actions = fc.constantFrom<'client.manage' | 'announcement.manage'>('client.manage', 'announcement.manage');
  fc.assert(fc.property(actorOf(), actions, oid, category, (actor, action, owner, cat) => {
    const expected = actor.grants.some((g) => g.kind === 'registration_admin' && covers(g.jurisdictionOid, owner) && catsCover(g.categories, [cat]));
    assert.equal(authorize(actor, action, { oid: owner, category: cat }), expected);
    // The set form for SQL lists agrees with the decision.
    const scope = systemScopeFor(actor, action);
    const inScope = scope.all || scope.grants.some((g) => covers(g.root, owner) && (g.categories.includes('*') || g.categories.includes(cat)));
    assert.equal(inScope, expected);
  }), { numRuns: 3000 });
  // The attack of issue 9: a registration administrator of 2.16.886.101.9002 with csm against the
  // national csm client (owned by the national root) and against a system owned in 90027.
  const attacker: Actor = { accountId: 9, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886.101.9002', categories: ['csm'] }] };
  for (const action of ['client.manage', 'announcement.manage'] as const) {
    assert.equal(authorize(attacker, action, { oid: '2.16.886', category: 'csm' }), false, 'the national client is not a subtree\'s');
    assert.equal(authorize(attacker, action, { oid: '2.16.886.101.90027', category: 'csm' }), false, '9002 does not cover 90027');
    assert.equal(authorize(attacker, action, { oid: '2.16.886.101.9002.1', category: 'csm' }), true);
  }
  const national: Actor = { accountId: 8, grants: [{ kind: 'registration_admin', jurisdictionOid: '2.16.886', categories: ['csm'] }] };
  assert.equal(authorize(national, 'client.manage', { oid: '2.16.886', category: 'csm' }), true, 'a grant explicitly over the owner');
  assert.deepEqual(systemScopeFor({ accountId: 1, grants: [{ kind: 'central', jurisdictionOid: '2.16.886', categories: ['*'] }] }, 'client.manage'), { all: true });
  assert.deepEqual(systemScopeFor(null, 'client.manage'), { all: false, grants: [] });
});
