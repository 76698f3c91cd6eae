// Property tests for policy inheritance (ORG-3): the nearest setting wins, sources name the
// node that set the value, defaults apply where nothing is set, key order does not matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  effectivePolicy, defaultPolicy, parseSetting, validateSettings, settingKind, settingSeed,
  POLICY_KEYS, type PolicyKey, type PolicySettings,
} from './policy.ts';

/** A valid value for one setting, drawn from its declared kind. */
function valueOf(key: PolicyKey): fc.Arbitrary<unknown> {
  const k = settingKind(key);
  switch (k.type) {
    case 'int': return fc.integer({ min: k.min, max: k.max });
    case 'bool': return fc.boolean();
    case 'enum': return fc.constantFrom(...k.values);
    case 'list': return k.item === 'aaguid'
      ? fc.array(fc.uuid().map((u) => u.toLowerCase()), { minLength: 1, maxLength: 3 })
      : k.item === 'oid' ? fc.array(fc.constantFrom('2.16.886.101.0.3.2', '2.16.886.101.0.3.3', '1.3.6.1.4.1.99999.1'), { minLength: 1, maxLength: 3 })
      : fc.array(fc.constantFrom('gov.tw', 'edu.tw', 'moea.gov.tw', 'tc.edu.tw'), { minLength: 1, maxLength: 3 });
  }
}
const settingsArb: fc.Arbitrary<PolicySettings> = fc.record(
  Object.fromEntries(POLICY_KEYS.map((k) => [k, valueOf(k)])) as Record<PolicyKey, fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
) as fc.Arbitrary<PolicySettings>;
/** A path root → node: each node's OID extends its ancestor's. */
const pathArb = fc.array(settingsArb, { maxLength: 6 }).map((list) =>
  list.map((settings, i) => ({ oid: ['2.16.886', ...Array.from({ length: i }, (_, j) => String(100 + j))].join('.'), settings })));

test('the nearest setting wins and its source is the node that set it', () => {
  fc.assert(fc.property(pathArb, (path) => {
    const { policy, sources } = effectivePolicy(path);
    for (const k of POLICY_KEYS) {
      const setter = [...path].reverse().find((n) => n.settings[k] !== undefined);
      assert.deepEqual(policy[k], setter ? setter.settings[k] : defaultPolicy()[k], k);
      assert.equal(sources[k], setter ? setter.oid : null, k);
    }
  }));
});

test('a child setting overrides the parent; without it the parent value is inherited', () => {
  const parent = { oid: '2.16.886.101', settings: { 'password.minLength': 10, 'session.idleMinutes': 240 } };
  const child = { oid: '2.16.886.101.90027', settings: { 'password.minLength': 14 } };
  const { policy, sources } = effectivePolicy([parent, child]);
  assert.equal(policy['password.minLength'], 14);
  assert.equal(sources['password.minLength'], child.oid);
  assert.equal(policy['session.idleMinutes'], 240);
  assert.equal(sources['session.idleMinutes'], parent.oid);
  assert.equal(policy['inactivity.days'], 90);
  assert.equal(sources['inactivity.days'], null);
});

test('defaults when nothing is set: every source is the default, every value the seed default', () => {
  fc.assert(fc.property(fc.array(fc.constant({}), { maxLength: 5 }), (empties) => {
    const { policy, sources } = effectivePolicy(empties.map((s, i) => ({ oid: `2.16.${i}`, settings: s })));
    assert.deepEqual(policy, defaultPolicy());
    return POLICY_KEYS.every((k) => sources[k] === null && settingSeed(k).length > 0);
  }));
});

test('the order of keys inside a node does not change the result', () => {
  // Each node's entries in a random permutation.
  const permuted = pathArb.chain((path) => fc.tuple(fc.constant(path), fc.tuple(...path.map((n) => {
    const entries = Object.entries(n.settings);
    return fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length });
  }))));
  fc.assert(fc.property(permuted, ([path, orders]) => {
    const shuffled = path.map((n, i) => ({ oid: n.oid, settings: Object.fromEntries(orders[i]) as PolicySettings }));
    assert.deepEqual(effectivePolicy(shuffled), effectivePolicy(path));
  }));
});

test('the default policy is not shared: changing one effective policy leaves the next intact', () => {
  const a = effectivePolicy([]).policy;
  a['email.allowedDomains'].push('example.com');
  assert.deepEqual(effectivePolicy([]).policy['email.allowedDomains'], ['gov.tw', 'edu.tw']);
});

test('parseSetting reads back every valid value as a form would send it; empty means inherit', () => {
  fc.assert(fc.property(fc.constantFrom(...POLICY_KEYS).chain((k) => fc.tuple(fc.constant(k), valueOf(k))), ([k, v]) => {
    const text = Array.isArray(v) ? v.join(', ') : String(v);
    assert.deepEqual(parseSetting(k, text), { value: v });
    assert.deepEqual(parseSetting(k, '  '), {});
  }));
});

test('parseSetting refuses bad values by kind and unknown keys', () => {
  assert.equal(parseSetting('password.minLength', '7').error?.error, 'range');
  assert.equal(parseSetting('password.minLength', '12abc').error?.error, 'type');
  assert.equal(parseSetting('login.passkey', 'maybe').error?.error, 'type');
  assert.equal(parseSetting('username.scheme', 'anything').error?.error, 'choice');
  assert.equal(parseSetting('email.allowedDomains', 'not a domain!').error?.error, 'type');
  assert.equal(parseSetting('no.such', '1').error?.error, 'unknown');
  const v = validateSettings({ 'password.minLength': 12, bogus: 1 });
  assert.deepEqual(v.settings, { 'password.minLength': 12 });
  assert.deepEqual(v.errors, [{ key: 'bogus', error: 'unknown' }]);
});
