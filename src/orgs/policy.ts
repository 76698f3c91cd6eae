// Pure policy rules (ORG-3): typed settings, defaults from the seeds, and inheritance where the
// nearest setting along the OID path wins. Settings are stored per node as a partial flat map.

type Kind =
  | { type: 'int'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  /** `item`: what each entry is: a mail domain, or an authenticator AAGUID (a UUID). */
  | { type: 'list'; item: 'domain' | 'aaguid' | 'oid' };

interface SettingDef<K extends Kind = Kind> { kind: K; default: ValueOf<K>; seed: string }
type ValueOf<K extends Kind> = K extends { type: 'int' } ? number : K extends { type: 'bool' } ? boolean
  : K extends { type: 'enum' } ? string : string[];

const int = (min: number, max: number, d: number, seed: string): SettingDef => ({ kind: { type: 'int', min, max }, default: d, seed });
const bool = (d: boolean, seed: string): SettingDef => ({ kind: { type: 'bool' }, default: d, seed });
const oneOf = (values: readonly string[], d: string, seed: string): SettingDef => ({ kind: { type: 'enum', values }, default: d, seed });
const list = (d: string[], seed: string, item: 'domain' | 'aaguid' | 'oid' = 'domain'): SettingDef => ({ kind: { type: 'list', item }, default: d, seed });
const LIST_ITEM = {
  domain: /^[a-z0-9-]+(\.[a-z0-9-]+)+$/,
  aaguid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  oid: /^[0-2](\.(0|[1-9]\d{0,9})){1,30}$/,
} as const;

export const PASSWORD_CLASS_SCHEMES = ['three_of_four', 'upper_lower_digit_only'] as const;
export const USERNAME_SCHEMES = ['alnum', 'tenant_prefixed', 'national_id'] as const;
export const INITIAL_PASSWORD_SCHEMES = ['birthday_national_id', 'email_link'] as const;

/** Every policy setting, its type, its default and the seed it comes from. */
export const POLICY_SETTINGS = {
  'password.minLength': int(8, 128, 12, '000/002/003: 12 characters (schools: 8, seed 001)'),
  'password.classes': oneOf(PASSWORD_CLASS_SCHEMES, 'three_of_four', '001: 3 of digits/lower/upper/symbol'),
  'password.history': int(0, 24, 3, '001: not one of the last 3'),
  'password.maxAgeDays': int(0, 3650, 90, '003: changed at least once a quarter (0 = never expires)'),
  'password.rejectCommon': bool(true, '001: common passwords and keyboard sequences refused'),
  'username.scheme': oneOf(USERNAME_SCHEMES, 'alnum', '000: [A-Za-z0-9]{6,30}'),
  'login.password': bool(true, '001: username + password + captcha'),
  'login.certificate': bool(false, '002/003: citizen digital certificate'),
  'login.certificateRequired': bool(false, '002/003: certificate required after activation'),
  'login.passkey': bool(true, 'AUTH-11: passkeys allowed (registration and sign-in)'),
  'login.certificateGraceDays': int(0, 30, 3, '003: after activation a password serves N days to register the card; no card by then and the one-day password lapses'),
  'login.passkeyInsteadOfCertificate': bool(false, 'AUTH-9/AUTH-11: where the certificate is required, a passkey may stand in for it'),
  'passkey.aaguidAllow': list([], 'AUTH-11: only these authenticator models (AAGUIDs) may be registered; empty = any', 'aaguid'),
  'passkey.aaguidDeny': list([], 'AUTH-11: these authenticator models (AAGUIDs) may not be registered', 'aaguid'),
  'cert.policyOids': list([], 'AUTH-8: certificate policies accepted for sign-in (OIDs); empty = any policy of a trusted chain', 'oid'),
  'cert.ocsp': bool(false, 'AUTH-8: ask the OCSP responder of the certificate (AIA) besides the CRL'),
  'cert.revocationSoftFail': bool(false, 'AUTH-8: accept a certificate whose revocation status is unknown (default: refuse, fail closed)'),
  'session.idleMinutes': int(1, 1440, 15, '003: idle logout after 15 minutes (002: 4 hours)'),
  'session.absoluteHours': int(1, 168, 12, 'AUTH-10: absolute session lifetime'),
  'inactivity.days': int(1, 3650, 90, '002: 3 months without login'),
  'inactivity.autoDisable': bool(false, '002: disable inactive accounts automatically'),
  'inactivity.noticeDays': int(0, 365, 14, 'GOV-2: notice to the user and the administrators N days before (0 = none)'),
  'reminder.passwordExpiryDays': int(0, 90, 14, 'GOV-5: mail the user N days before the password expires (0 = none)'),
  'reminder.certificateExpiryDays': int(0, 180, 30, 'GOV-5: mail the holder N days before a registered certificate expires (0 = none)'),
  'reminder.approvals': bool(true, 'GOV-5: approvers get mail when a request reaches their step, and a daily digest of what waits'),
  'initialPassword.scheme': oneOf(INITIAL_PASSWORD_SCHEMES, 'birthday_national_id', '003: MmDd + birth month/day + last 4 of national ID'),
  'review.periodMonths': int(1, 24, 6, '002: half-yearly account review'),
  'email.allowedDomains': list(['gov.tw', 'edu.tw'], 'ACC-1: official e-mail (公務信箱)'),
  'nationalId.required': bool(true, '003: national ID required'),
} as const satisfies Record<string, SettingDef>;

export type PolicyKey = keyof typeof POLICY_SETTINGS;
export interface Policy {
  'password.minLength': number; 'password.classes': (typeof PASSWORD_CLASS_SCHEMES)[number];
  'password.history': number; 'password.maxAgeDays': number; 'password.rejectCommon': boolean;
  'username.scheme': (typeof USERNAME_SCHEMES)[number];
  'login.password': boolean; 'login.certificate': boolean; 'login.certificateRequired': boolean; 'login.passkey': boolean;
  'login.certificateGraceDays': number; 'login.passkeyInsteadOfCertificate': boolean;
  'passkey.aaguidAllow': string[]; 'passkey.aaguidDeny': string[];
  'cert.policyOids': string[]; 'cert.ocsp': boolean; 'cert.revocationSoftFail': boolean;
  'session.idleMinutes': number; 'session.absoluteHours': number;
  'inactivity.days': number; 'inactivity.autoDisable': boolean; 'inactivity.noticeDays': number;
  'reminder.passwordExpiryDays': number; 'reminder.approvals': boolean; 'reminder.certificateExpiryDays': number;
  'initialPassword.scheme': (typeof INITIAL_PASSWORD_SCHEMES)[number];
  'review.periodMonths': number; 'email.allowedDomains': string[]; 'nationalId.required': boolean;
}
export type PolicySettings = Partial<Policy>;
export const POLICY_KEYS = Object.keys(POLICY_SETTINGS) as PolicyKey[];

export function defaultPolicy(): Policy {
  return Object.fromEntries(POLICY_KEYS.map((k) => [k, structuredClone(POLICY_SETTINGS[k].default)])) as unknown as Policy;
}

/** Where an effective value comes from: the OID of the node that set it, or null for the default. */
export type PolicySources = Record<PolicyKey, string | null>;

/**
 * Effective policy for a node: `path` holds the settings along the OID path, root first, the node
 * itself last. The nearest (last) setting of each key wins.
 */
export function effectivePolicy(path: { oid: string; settings: PolicySettings }[]): { policy: Policy; sources: PolicySources } {
  const policy = defaultPolicy() as unknown as Record<string, unknown>;
  const sources = Object.fromEntries(POLICY_KEYS.map((k) => [k, null])) as PolicySources;
  for (const node of path) {
    for (const k of POLICY_KEYS) {
      if (node.settings[k] !== undefined) { policy[k] = node.settings[k]; sources[k] = node.oid; }
    }
  }
  return { policy: policy as unknown as Policy, sources };
}

export type SettingError = { key: string; error: 'unknown' | 'type' | 'range' | 'choice' };

/** Parses one setting from text (form or CSV); '' means "inherit" and yields undefined. */
export function parseSetting(key: string, raw: string): { value?: unknown; error?: SettingError } {
  const def = (POLICY_SETTINGS as Record<string, SettingDef>)[key];
  if (!def) return { error: { key, error: 'unknown' } };
  const text = raw.trim();
  if (text === '') return {};
  switch (def.kind.type) {
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { error: { key, error: 'type' } };
      const n = Number(text);
      return n < def.kind.min || n > def.kind.max ? { error: { key, error: 'range' } } : { value: n };
    }
    case 'bool':
      if (['true', 'on', '1', 'yes'].includes(text)) return { value: true };
      if (['false', 'off', '0', 'no'].includes(text)) return { value: false };
      return { error: { key, error: 'type' } };
    case 'enum':
      return def.kind.values.includes(text) ? { value: text } : { error: { key, error: 'choice' } };
    case 'list': {
      const items = text.split(/[\s,]+/).filter(Boolean).map((s) => s.toLowerCase());
      return items.every((d) => LIST_ITEM[(def.kind as { item: keyof typeof LIST_ITEM }).item].test(d)) ? { value: items } : { error: { key, error: 'type' } };
    }
  }
}

/** Validates a stored/partial settings object; returns only known keys with valid values. */
export function validateSettings(input: Record<string, unknown>): { settings: PolicySettings; errors: SettingError[] } {
  const settings: Record<string, unknown> = {};
  const errors: SettingError[] = [];
  for (const [key, value] of Object.entries(input)) {
    const r = parseSetting(key, Array.isArray(value) ? value.join(',') : String(value));
    if (r.error) errors.push(r.error);
    else if (r.value !== undefined) settings[key] = r.value;
  }
  return { settings: settings as PolicySettings, errors };
}

export const settingKind = (key: PolicyKey): Kind => POLICY_SETTINGS[key].kind;
export const settingSeed = (key: PolicyKey): string => POLICY_SETTINGS[key].seed;
