// INC-9: an administrator's deadline profile, checked before it is stored: pure, with localisable error codes.
import type { DeadlineProfile, DeadlineRule, ImpactLevel, IncidentEventKind, IncidentRole, LocalisedText } from './types.ts';
import { isEventKind, isLevel, isRole } from './kinds.ts';
import { BUILT_IN_PROFILES } from './profiles/index.ts';

/** Each code has a message `clocks.error.<code>` in messages.ts (zh-TW, en); `path` says where, e.g. `rules[2].anchor[0]`. */
export type ProfileErrorCode =
  | 'not_object' | 'unknown_field' | 'id_invalid' | 'id_taken' | 'text_missing' | 'text_too_long'
  | 'rules_empty' | 'rules_too_many' | 'rule_id_duplicate' | 'kinds_empty' | 'kind_unknown'
  | 'offset_invalid' | 'months_invalid' | 'level_invalid' | 'levels_empty' | 'role_unknown'
  | 'flag_invalid' | 'starts_at_level_needs_levels' | 'starts_at_condition_needs_only_if';

export interface ProfileError { code: ProfileErrorCode; path: string }

export type ProfileValidation = { ok: true; profile: DeadlineProfile } | { ok: false; errors: ProfileError[] };

/** Bounds: a deadline is at least a minute and at most a year; a profile has at most 50 rules. */
export const PROFILE_LIMITS = { maxOffsetMinutes: 366 * 24 * 60, maxOffsetMonths: 12, maxRules: 50, maxName: 200, maxSource: 1000, maxLabel: 300 } as const;

const ID = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/; // 2 to 40 characters
const PROFILE_FIELDS = new Set(['id', 'name', 'source', 'rules']);
const RULE_FIELDS = new Set(['id', 'label', 'anchor', 'offsetMinutes', 'byLevel', 'levels', 'onlyIf', 'metBy', 'responsible', 'escalateTo', 'offsetMonths', 'startsAtLevel', 'startsAtCondition', 'lateReasonRequired']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOffset = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= PROFILE_LIMITS.maxOffsetMinutes;

/**
 * Checks `input` (parsed JSON or form data) as a new profile. `takenIds` are the ids already in use
 * (default: the built-in ones). Returns a clean copy with only the known fields, or every error found.
 */
export function validateProfile(input: unknown, takenIds: readonly string[] = Object.keys(BUILT_IN_PROFILES)): ProfileValidation {
  const errors: ProfileError[] = [];
  const err = (code: ProfileErrorCode, path: string) => { errors.push({ code, path }); };
  if (!isObject(input)) return { ok: false, errors: [{ code: 'not_object', path: '' }] };

  const unknownFields = (o: Record<string, unknown>, known: Set<string>, at: string) => {
    for (const k of Object.keys(o)) if (!known.has(k)) err('unknown_field', at ? `${at}.${k}` : k);
  };
  const text = (v: unknown, path: string, max: number): LocalisedText => {
    const o = isObject(v) ? v : {};
    if (!isObject(v)) err('text_missing', path);
    const out = { 'zh-TW': '', en: '' };
    for (const lang of ['zh-TW', 'en'] as const) {
      const s = typeof o[lang] === 'string' ? (o[lang] as string).trim() : '';
      if (isObject(v) && !s) err('text_missing', `${path}.${lang}`);
      else if (s.length > max) err('text_too_long', `${path}.${lang}`);
      out[lang] = s;
    }
    if (isObject(v)) unknownFields(v, new Set(['zh-TW', 'en']), path);
    return out;
  };
  const kinds = (v: unknown, path: string): IncidentEventKind[] => {
    if (!Array.isArray(v) || v.length === 0) { err('kinds_empty', path); return []; }
    v.forEach((k, i) => { if (!isEventKind(k)) err('kind_unknown', `${path}[${i}]`); });
    return [...new Set(v.filter(isEventKind))];
  };
  const flag = (v: unknown, path: string): boolean | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') err('flag_invalid', path);
    return v === true || undefined;
  };

  unknownFields(input, PROFILE_FIELDS, '');
  const id = typeof input.id === 'string' ? input.id.trim() : '';
  if (!ID.test(id)) err('id_invalid', 'id');
  else if (takenIds.includes(id)) err('id_taken', 'id');
  const name = text(input.name, 'name', PROFILE_LIMITS.maxName);
  const source = text(input.source, 'source', PROFILE_LIMITS.maxSource);

  const rules: DeadlineRule[] = [];
  if (!Array.isArray(input.rules) || input.rules.length === 0) err('rules_empty', 'rules');
  else if (input.rules.length > PROFILE_LIMITS.maxRules) err('rules_too_many', 'rules');
  else input.rules.forEach((r: unknown, i: number) => {
    const at = `rules[${i}]`;
    if (!isObject(r)) { err('not_object', at); return; }
    unknownFields(r, RULE_FIELDS, at);
    const ruleId = typeof r.id === 'string' ? r.id.trim() : '';
    if (!ID.test(ruleId)) err('id_invalid', `${at}.id`);
    else if (rules.some((x) => x.id === ruleId)) err('rule_id_duplicate', `${at}.id`);
    const rule: DeadlineRule = {
      id: ruleId, label: text(r.label, `${at}.label`, PROFILE_LIMITS.maxLabel),
      anchor: kinds(r.anchor, `${at}.anchor`),
      offsetMinutes: isOffset(r.offsetMinutes) ? r.offsetMinutes : (err('offset_invalid', `${at}.offsetMinutes`), 0),
      metBy: kinds(r.metBy, `${at}.metBy`),
      responsible: isRole(r.responsible) ? r.responsible : (err('role_unknown', `${at}.responsible`), 'security_contact'),
    };
    if (r.byLevel !== undefined) {
      const byLevel: Partial<Record<ImpactLevel, number>> = {};
      if (!isObject(r.byLevel)) err('level_invalid', `${at}.byLevel`);
      else for (const [k, v] of Object.entries(r.byLevel)) {
        const level = Number(k);
        if (!isLevel(level)) err('level_invalid', `${at}.byLevel.${k}`);
        else if (!isOffset(v)) err('offset_invalid', `${at}.byLevel.${k}`);
        else byLevel[level] = v;
      }
      rule.byLevel = byLevel;
    }
    if (r.levels !== undefined) {
      if (!Array.isArray(r.levels) || r.levels.length === 0) err('levels_empty', `${at}.levels`);
      else r.levels.forEach((l, j) => { if (!isLevel(l)) err('level_invalid', `${at}.levels[${j}]`); });
      rule.levels = Array.isArray(r.levels) ? [...new Set(r.levels.filter(isLevel))].sort((a, b) => a - b) : [];
    }
    if (r.onlyIf !== undefined) {
      if (!isEventKind(r.onlyIf)) err('kind_unknown', `${at}.onlyIf`);
      else rule.onlyIf = r.onlyIf;
    }
    if (r.escalateTo !== undefined) {
      const roles: IncidentRole[] = [];
      if (!Array.isArray(r.escalateTo)) err('role_unknown', `${at}.escalateTo`);
      else r.escalateTo.forEach((x, j) => { if (!isRole(x)) err('role_unknown', `${at}.escalateTo[${j}]`); else if (!roles.includes(x)) roles.push(x); });
      rule.escalateTo = roles;
    }
    if (r.offsetMonths !== undefined) {
      if (!Number.isInteger(r.offsetMonths) || (r.offsetMonths as number) < 1 || (r.offsetMonths as number) > PROFILE_LIMITS.maxOffsetMonths) err('months_invalid', `${at}.offsetMonths`);
      else rule.offsetMonths = r.offsetMonths as number;
    }
    const startsAtLevel = flag(r.startsAtLevel, `${at}.startsAtLevel`);
    const startsAtCondition = flag(r.startsAtCondition, `${at}.startsAtCondition`);
    const lateReasonRequired = flag(r.lateReasonRequired, `${at}.lateReasonRequired`);
    if (startsAtLevel) { if (r.levels === undefined) err('starts_at_level_needs_levels', `${at}.startsAtLevel`); rule.startsAtLevel = true; }
    if (startsAtCondition) { if (r.onlyIf === undefined) err('starts_at_condition_needs_only_if', `${at}.startsAtCondition`); rule.startsAtCondition = true; }
    if (lateReasonRequired) rule.lateReasonRequired = true;
    rules.push(rule);
  });

  return errors.length ? { ok: false, errors } : { ok: true, profile: { id, name, source, rules } };
}
