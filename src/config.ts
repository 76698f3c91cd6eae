// Typed configuration from environment variables: the one place they are read and validated.
import net from 'node:net';
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  baseUrl: string;
  /** 32-byte key for personal-data encryption; undefined → generated into dataDir (embedded only). */
  secretKey: Buffer | undefined;
  bootstrapUsername: string | undefined;
  bootstrapPassword: string | undefined;
  captchaEnabled: boolean;
  production: boolean;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  logLevel: string;
  /** Failed logins from one IP within 15 minutes before that IP is refused (AUTH-2 per-IP limit). */
  ipLoginLimit: number;
  /**
   * Per-username lock-out (AUTH-2), one rule for the whole platform: an unknown username cannot
   * have an organisation, so a per-organisation rule would tell known names from unknown ones.
   */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /**
   * Which X-Forwarded-For hops to believe (issue 15): false (none), a number of proxies in front,
   * or the proxies' addresses/CIDRs; true (every hop) only outside production.
   */
  trustProxy: boolean | number | string[];
  /** PostgreSQL timeouts (issue 15): connecting, one statement, a transaction left idle; 0 → none. */
  db: { connectMs: number; statementMs: number; idleInTransactionMs: number };
  /** How long /readyz waits for the database before it answers 503. */
  readyTimeoutMs: number;
  /** After SIGTERM: how long /readyz answers 503 (draining) before the listener closes. */
  drainMs: number;
  /** SMTP server as a URL (`smtp://host:25`, `smtps://user:pass@host:465`); undefined → mail stays in the outbox (OPS-3). */
  smtpUrl: string | undefined;
  /** The From header of every mail. */
  mailFrom: string;
  /** How often the outbox worker looks for due mail; 0 → this instance sends none (another one does). */
  outboxPollMs: number;
  /** How often the job scheduler looks for due jobs (issue 14); 0 → this instance runs none (another one does). */
  jobsPollMs: number;
  /** How often the audit sealer chains committed events (GOV-1, issue 15); 0 → this instance never seals on its own. */
  auditSealMs: number;
  /** How often the sealer signs a checkpoint of the chain head (when it moved). */
  auditCheckpointMs: number;
  /** A file each signed checkpoint is appended to (a copy outside the database); undefined → none. */
  auditCheckpointFile: string | undefined;
  /** A syslog receiver (RFC 5424 over UDP or TCP) each signed checkpoint is sent to; undefined → none. */
  auditCheckpointSyslog: { protocol: 'udp' | 'tcp'; host: string; port: number } | undefined;
  /** A URL each signed checkpoint is POSTed to as JSON (retried, never holding the sealer up); undefined → none. */
  auditCheckpointUrl: string | undefined;
  /** SMS gateway (OPS-3, src/platform/sms.ts); undefined → text messages stay in the outbox. */
  sms: SmsGatewayConfig | undefined;
  /**
   * Security incidents (INC-1, INC-3): how many days an agency's contacts stay confirmed before the
   * reminder, and the mail addresses level 3–4 review results are forwarded to (national office,
   * homeland-security and national-security offices).
   */
  incidents: { confirmContactsDays: number; forwardTo: string[]; ciRecipients: Record<string, string[]> };
  /** Bearer token for GET /metrics (OPS-4); undefined → open outside production, 404 in production. */
  metricsToken: string | undefined;
  /**
   * AUTH-8: the request header in which the reverse proxy forwards the TLS client certificate
   * (URL-encoded PEM, as nginx's $ssl_client_escaped_cert); believed only from the proxy addresses
   * of TESSERA_TRUST_PROXY (a list). Undefined → certificate sign-in by TLS is off.
   */
  certTlsHeader: string | undefined;
}

/** An HTTP POST per message: `bodyTemplate` with {to}, {to_e164} and {text} filled in, escaped for `contentType`. */
export interface SmsGatewayConfig { url: string; authHeader: { name: string; value: string } | undefined; bodyTemplate: string; contentType: string }

export class ConfigError extends Error {}

/** A whole number within [min, max] from the environment, or the default; anything else is an error. */
function intFrom(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function smtpUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.SMTP_URL;
  if (!raw) return undefined;
  let u: URL;
  try { u = new URL(raw); } catch { u = new URL('invalid:'); }
  // The URL may carry a password: the message names the variable, never its value.
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError('SMTP_URL must be smtp://host[:port] or smtps://user:password@host[:port]');
  return raw;
}

function checkpointSyslogFrom(env: NodeJS.ProcessEnv): Config['auditCheckpointSyslog'] {
  const raw = env.TESSERA_AUDIT_CHECKPOINT_SYSLOG;
  if (!raw) return undefined;
  const m = /^(udp|tcp):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw.trim());
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) throw new ConfigError('TESSERA_AUDIT_CHECKPOINT_SYSLOG must be udp://host:port or tcp://host:port');
  return { protocol: m[1] as 'udp' | 'tcp', host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

function checkpointUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.TESSERA_AUDIT_CHECKPOINT_URL;
  if (!url) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) throw new ConfigError('TESSERA_AUDIT_CHECKPOINT_URL must be an http:// or https:// URL');
  return url;
}

function smsFrom(env: NodeJS.ProcessEnv): SmsGatewayConfig | undefined {
  const url = env.TESSERA_SMS_URL;
  if (!url) return undefined;
  // Like SMTP_URL, the messages name the variable, never its value (it may hold a key).
  if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) throw new ConfigError('TESSERA_SMS_URL must be an http:// or https:// URL');
  const raw = env.TESSERA_SMS_AUTH_HEADER;
  const colon = raw ? raw.indexOf(':') : -1;
  if (raw && (colon < 1 || !/^[A-Za-z0-9-]+$/.test(raw.slice(0, colon).trim()))) throw new ConfigError('TESSERA_SMS_AUTH_HEADER must be "Header-Name: value"');
  const bodyTemplate = env.TESSERA_SMS_BODY_TEMPLATE || '{"to":"{to}","text":"{text}"}';
  if (!bodyTemplate.includes('{text}') || !/\{to(_e164)?\}/.test(bodyTemplate)) throw new ConfigError('TESSERA_SMS_BODY_TEMPLATE must contain {text} and {to} (or {to_e164})');
  return {
    url,
    authHeader: raw ? { name: raw.slice(0, colon).trim(), value: raw.slice(colon + 1).trim() } : undefined,
    bodyTemplate,
    contentType: env.TESSERA_SMS_CONTENT_TYPE || 'application/json',
  };
}

function metricsTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.TESSERA_METRICS_TOKEN;
  if (!raw) return undefined;
  // A short token could be guessed through the open port; the message never repeats the value.
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError('TESSERA_METRICS_TOKEN must be at least 16 characters without spaces');
  return raw;
}

/** Issue 15: a number of hops, a list of proxy addresses/CIDRs, or true (outside production only). */
function trustProxyFrom(env: NodeJS.ProcessEnv, production: boolean): boolean | number | string[] {
  const raw = (env.TESSERA_TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') {
    if (production) throw new ConfigError('TESSERA_TRUST_PROXY=true (believe every X-Forwarded-For hop) is refused when NODE_ENV=production: give the number of proxies in front (e.g. 1) or their addresses');
    return true;
  }
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n < 1 || n > 10) throw new ConfigError(`TESSERA_TRUST_PROXY must be false, a number of proxies from 1 to 10, or a list of proxy addresses/CIDRs, got "${raw}"`);
    return n;
  }
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const item of list) {
    const [addr, bits, extra] = item.split('/');
    const family = net.isIP(addr);
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !okBits || extra !== undefined) throw new ConfigError(`TESSERA_TRUST_PROXY must be false, a number of proxies, or a list of proxy addresses/CIDRs (e.g. 10.0.0.5,10.1.0.0/16), got "${item}"`);
  }
  return list;
}

/** Issue 15: a key that is not 32 random bytes (one byte repeated, few distinct bytes, typed text). */
export function weakKeyReason(key: Buffer): string | undefined {
  const distinct = new Set(key).size;
  if (distinct < 16) return `it has only ${distinct} distinct bytes`;
  if (key.every((b) => b >= 0x20 && b < 0x7f)) return 'it is printable text (a passphrase), not random bytes';
  return undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = intFrom(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  let secretKey: Buffer | undefined;
  if (env.TESSERA_SECRET_KEY) {
    secretKey = Buffer.from(env.TESSERA_SECRET_KEY, /^[0-9a-f]{64}$/i.test(env.TESSERA_SECRET_KEY) ? 'hex' : 'base64');
    if (secretKey.length !== 32) throw new ConfigError('TESSERA_SECRET_KEY must be 32 bytes (64 hex digits or base64)');
  }
  if (production && !secretKey) throw new ConfigError('TESSERA_SECRET_KEY is required when NODE_ENV=production');
  const weak = production && secretKey ? weakKeyReason(secretKey) : undefined;
  // The message says what is wrong with it, never the key.
  if (weak) throw new ConfigError(`TESSERA_SECRET_KEY is too weak for production (${weak}): make one with \`openssl rand -hex 32\``);
  // Instances sharing a database must share the key (CSRF tokens, blind indexes, encrypted IDs).
  if (env.DATABASE_URL && !secretKey) throw new ConfigError('TESSERA_SECRET_KEY is required with DATABASE_URL: every instance on the database must use the same key');
  if (production && !env.DATABASE_URL) throw new ConfigError('DATABASE_URL is required when NODE_ENV=production');
  if (production && !/^https:\/\/[^\s/]+/.test(env.TESSERA_BASE_URL ?? '')) {
    throw new ConfigError('TESSERA_BASE_URL (https://…, the public address) is required when NODE_ENV=production: without it the issuer is http, cookies are not Secure and no HSTS is sent');
  }
  const captchaOff = env.TESSERA_CAPTCHA === 'off';
  if (production && captchaOff) throw new ConfigError('TESSERA_CAPTCHA=off is refused when NODE_ENV=production');
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.TESSERA_DATA_DIR ?? './data'),
    baseUrl: (env.TESSERA_BASE_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    secretKey,
    bootstrapUsername: env.TESSERA_BOOTSTRAP_USERNAME || undefined,
    bootstrapPassword: env.TESSERA_BOOTSTRAP_PASSWORD || undefined,
    captchaEnabled: !captchaOff,
    production,
    // OWASP's argon2id minimum (m=19 MiB, t=2, p=1).
    argon2: {
      memoryCost: intFrom(env, 'TESSERA_ARGON2_MEMORY_KIB', 19456, 1024, 4_194_304),
      timeCost: intFrom(env, 'TESSERA_ARGON2_TIME', 2, 1, 100),
      parallelism: 1,
    },
    ipLoginLimit: intFrom(env, 'TESSERA_IP_LOGIN_LIMIT', 30, 1, 1_000_000),
    lockoutThreshold: intFrom(env, 'TESSERA_LOCKOUT_THRESHOLD', 3, 1, 100),
    lockoutMinutes: intFrom(env, 'TESSERA_LOCKOUT_MINUTES', 15, 1, 1440),
    trustProxy: trustProxyFrom(env, production),
    db: {
      connectMs: intFrom(env, 'TESSERA_DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
      statementMs: intFrom(env, 'TESSERA_DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
      idleInTransactionMs: intFrom(env, 'TESSERA_DB_IDLE_TX_TIMEOUT_MS', 60_000, 0, 3_600_000),
    },
    readyTimeoutMs: intFrom(env, 'TESSERA_READY_TIMEOUT_MS', 2000, 100, 60_000),
    drainMs: intFrom(env, 'TESSERA_DRAIN_MS', production ? 5000 : 0, 0, 600_000),
    smtpUrl: smtpUrlFrom(env),
    mailFrom: env.TESSERA_MAIL_FROM || 'Tessera <no-reply@localhost>',
    outboxPollMs: intFrom(env, 'TESSERA_OUTBOX_POLL_MS', 2000, 0, 3_600_000),
    jobsPollMs: intFrom(env, 'TESSERA_JOBS_POLL_MS', 30_000, 0, 3_600_000),
    auditSealMs: intFrom(env, 'TESSERA_AUDIT_SEAL_MS', 1000, 0, 3_600_000),
    auditCheckpointMs: intFrom(env, 'TESSERA_AUDIT_CHECKPOINT_MS', 60_000, 0, 86_400_000),
    auditCheckpointFile: env.TESSERA_AUDIT_CHECKPOINT_FILE || undefined,
    auditCheckpointSyslog: checkpointSyslogFrom(env),
    auditCheckpointUrl: checkpointUrlFrom(env),
    sms: smsFrom(env),
    incidents: {
      confirmContactsDays: intFrom(env, 'TESSERA_INCIDENT_CONFIRM_DAYS', 180, 1, 3650),
      forwardTo: (env.TESSERA_INCIDENT_FORWARD_TO ?? '').split(',').map((x) => x.trim()).filter((x) => /^[^\s@,]+@[^\s@,]+$/.test(x)),
      ciRecipients: ciRecipientsFrom(env.TESSERA_INCIDENT_CI_RECIPIENTS),
    },
    metricsToken: metricsTokenFrom(env),
    certTlsHeader: env.TESSERA_CERT_TLS_HEADER?.trim().toLowerCase() || undefined,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}

/** INC-2: `group=addr,addr;group=addr` — the critical-infrastructure groups' recipients of the horizontal notice. */
export function ciRecipientsFrom(v: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (v ?? '').split(';')) {
    const [group, list] = part.split('=');
    const g = group?.trim();
    if (!g || !/^[a-z][a-z0-9_]{0,39}$/.test(g) || !list) continue;
    const addrs = list.split(',').map((x) => x.trim()).filter((x) => /^[^\s@,]+@[^\s@,]+$/.test(x));
    if (addrs.length) out[g] = addrs;
  }
  return out;
}
