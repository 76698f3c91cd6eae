// INC-9: an administrator adds a deadline profile: validateProfile accepts a good one (which then runs) and names every fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_PROFILES, clockMessages, computeClocks, validateProfile, type ImpactLevel, type IncidentEvent, type IncidentEventKind, type ProfileError } from '../../src/incidents/clocks/index.ts';

const H = 60;
const T0 = Date.parse('2026-03-02T01:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const events = (evs: [IncidentEventKind, number, ImpactLevel?][]): IncidentEvent[] => evs.map(([kind, m, level]) => ({ kind, at: at(m), ...(level ? { level } : {}) }));

const good = () => ({
  id: 'moe-academic',
  name: { 'zh-TW': '教育部學術網路', en: 'Ministry of Education academic network' },
  source: { 'zh-TW': '臺灣學術網路資安事件通報規定', en: 'TANet incident rules' },
  rules: [
    { id: 'report', label: { 'zh-TW': '30 分鐘內通報', en: 'Report within 30 minutes' }, anchor: ['aware'], offsetMinutes: 30, metBy: ['reported'], responsible: 'security_contact', escalateTo: ['competent_authority'] },
    { id: 'review', label: { 'zh-TW': '審核', en: 'Review' }, anchor: ['reported'], offsetMinutes: 240, byLevel: { 4: 60 }, metBy: ['reviewed'], responsible: 'competent_authority' },
    { id: 'major', label: { 'zh-TW': '重大事件通知', en: 'Major incident notice' }, anchor: ['reported'], offsetMinutes: 10, levels: [4], startsAtLevel: true, metBy: ['notified'], responsible: 'technical_centre' },
    { id: 'report-month', label: { 'zh-TW': '月報', en: 'Monthly report' }, anchor: ['contained'], offsetMinutes: 43200, offsetMonths: 2, metBy: ['investigation_submitted'], responsible: 'security_contact' },
  ],
});

const codes = (input: unknown, taken?: string[]): string[] => {
  const r = validateProfile(input, taken);
  return r.ok ? [] : r.errors.map((e: ProfileError) => `${e.code}@${e.path}`);
};

test('INC-9: an administrator’s profile is accepted, cleaned, and computes clocks like a built-in one', () => {
  const r = validateProfile({ ...good(), id: '  moe-academic ' });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.equal(r.profile.id, 'moe-academic');
  assert.deepEqual(r.profile.rules[1].byLevel, { 4: 60 });
  const clocks = computeClocks([r.profile, BUILT_IN_PROFILES['tw-cs']], events([['aware', 0], ['reported', 20, 4]]), at(45));
  const mine = clocks.filter((c) => c.profileId === 'moe-academic');
  assert.deepEqual(mine.map((c) => [c.ruleId, c.state]), [['report', 'met'], ['review', 'running'], ['major', 'overdue']]);
  assert.equal(mine[1].dueAt.getTime(), at(20 + H).getTime(), 'level 4 takes its own offset');
  assert.ok(clocks.some((c) => c.profileId === 'tw-cs'), 'next to the default profile');
});

test('INC-9: the built-in profiles pass the same validation (with their ids free)', () => {
  for (const p of Object.values(BUILT_IN_PROFILES)) {
    const r = validateProfile(JSON.parse(JSON.stringify(p)), []);
    assert.ok(r.ok, `${p.id}: ${JSON.stringify(!r.ok && r.errors)}`);
    assert.deepEqual(r.profile, JSON.parse(JSON.stringify(p)));
  }
});

test('INC-9: a bad profile is refused with one localisable code per fault, and a path', () => {
  assert.deepEqual(codes(null), ['not_object@']);
  assert.deepEqual(codes([]), ['not_object@']);
  assert.deepEqual(codes(good(), ['moe-academic']), ['id_taken@id']);
  assert.deepEqual(codes({ ...good(), id: 'tw-cs' }), ['id_taken@id'], 'a built-in id is taken by default');
  assert.deepEqual(codes({ ...good(), id: 'Bad Id' }), ['id_invalid@id']);
  assert.deepEqual(codes({ ...good(), name: { 'zh-TW': '只有中文' } }), ['text_missing@name.en']);
  assert.deepEqual(codes({ ...good(), source: undefined }), ['text_missing@source']);
  assert.deepEqual(codes({ ...good(), name: { 'zh-TW': 'x'.repeat(201), en: 'x' } }), ['text_too_long@name.zh-TW']);
  assert.deepEqual(codes({ ...good(), colour: 'red' }), ['unknown_field@colour']);
  assert.deepEqual(codes({ ...good(), rules: [] }), ['rules_empty@rules']);
  assert.deepEqual(codes({ ...good(), rules: Array.from({ length: 51 }, () => good().rules[0]) }), ['rules_too_many@rules']);
  const rule = (patch: Record<string, unknown>) => codes({ ...good(), rules: [{ ...good().rules[0], ...patch }] });
  assert.deepEqual(codes({ ...good(), rules: [good().rules[0], good().rules[0]] }), ['rule_id_duplicate@rules[1].id']);
  assert.deepEqual(rule({ anchor: [] }), ['kinds_empty@rules[0].anchor']);
  assert.deepEqual(rule({ metBy: ['reported', 'teleported'] }), ['kind_unknown@rules[0].metBy[1]']);
  assert.deepEqual(rule({ offsetMinutes: 0 }), ['offset_invalid@rules[0].offsetMinutes']);
  assert.deepEqual(rule({ offsetMinutes: -5 }), ['offset_invalid@rules[0].offsetMinutes']);
  assert.deepEqual(rule({ offsetMinutes: 1.5 }), ['offset_invalid@rules[0].offsetMinutes']);
  assert.deepEqual(rule({ offsetMinutes: 366 * 24 * 60 + 1 }), ['offset_invalid@rules[0].offsetMinutes'], 'bounded: at most a year');
  assert.deepEqual(rule({ offsetMinutes: '60' }), ['offset_invalid@rules[0].offsetMinutes']);
  assert.deepEqual(rule({ byLevel: { 5: 60 } }), ['level_invalid@rules[0].byLevel.5']);
  assert.deepEqual(rule({ byLevel: { 3: 0 } }), ['offset_invalid@rules[0].byLevel.3']);
  assert.deepEqual(rule({ levels: [] }), ['levels_empty@rules[0].levels']);
  assert.deepEqual(rule({ levels: [0, 3] }), ['level_invalid@rules[0].levels[0]']);
  assert.deepEqual(rule({ onlyIf: 'full_moon' }), ['kind_unknown@rules[0].onlyIf']);
  assert.deepEqual(rule({ responsible: 'mayor' }), ['role_unknown@rules[0].responsible']);
  assert.deepEqual(rule({ escalateTo: ['ciso', 'mayor'] }), ['role_unknown@rules[0].escalateTo[1]']);
  assert.deepEqual(rule({ offsetMonths: 13 }), ['months_invalid@rules[0].offsetMonths']);
  assert.deepEqual(rule({ startsAtLevel: 'yes' }), ['flag_invalid@rules[0].startsAtLevel']);
  assert.deepEqual(rule({ startsAtLevel: true }), ['starts_at_level_needs_levels@rules[0].startsAtLevel']);
  assert.deepEqual(rule({ startsAtCondition: true }), ['starts_at_condition_needs_only_if@rules[0].startsAtCondition']);
  assert.deepEqual(rule({ due: 5 }), ['unknown_field@rules[0].due']);
  assert.equal(codes({ id: 'x', rules: 'none' }).length, 4, 'every fault at once: id, name, source, rules');
});

test('INC-9: every error code has a message in Traditional Chinese and in English', () => {
  const all = ['not_object', 'unknown_field', 'id_invalid', 'id_taken', 'text_missing', 'text_too_long', 'rules_empty', 'rules_too_many',
    'rule_id_duplicate', 'kinds_empty', 'kind_unknown', 'offset_invalid', 'months_invalid', 'level_invalid', 'levels_empty', 'role_unknown',
    'flag_invalid', 'starts_at_level_needs_levels', 'starts_at_condition_needs_only_if'];
  for (const code of all) {
    const key = `clocks.error.${code}` as keyof typeof clockMessages.zh;
    assert.ok(clockMessages.zh[key] && clockMessages.en[key], code);
  }
});

test('INC-9: the built-in profiles cannot be changed by a caller', () => {
  assert.throws(() => { (BUILT_IN_PROFILES['tw-cs'].rules[0] as { offsetMinutes: number }).offsetMinutes = 600; }, TypeError);
  assert.throws(() => { (BUILT_IN_PROFILES['tw-cs'].rules[2].byLevel as Record<number, number>)[3] = 600; }, TypeError);
  assert.equal(BUILT_IN_PROFILES['tw-cs'].rules[0].offsetMinutes, 60);
});
