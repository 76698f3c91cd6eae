// Configuration: production refuses unsafe settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';

const STRONG = '3f9a0c7e52b14d68a1e7c9025b3df48e6a0179c2d5e83b4f60a9c1d7e2f58b03';

test('TESSERA_CAPTCHA=off is refused in production; production needs a key and PostgreSQL', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: STRONG, TESSERA_BASE_URL: 'https://id.example.gov.tw' };
  assert.equal(loadConfig(prod).captchaEnabled, true);
  assert.throws(() => loadConfig({ ...prod, TESSERA_CAPTCHA: 'off' }), ConfigError);
  assert.throws(() => loadConfig({ ...prod, TESSERA_SECRET_KEY: undefined }), ConfigError);
  assert.throws(() => loadConfig({ ...prod, DATABASE_URL: undefined }), ConfigError);
  assert.equal(loadConfig({ TESSERA_CAPTCHA: 'off' }).captchaEnabled, false);
  assert.throws(() => loadConfig({ TESSERA_SECRET_KEY: 'tooshort' }), ConfigError);
});

test('malformed numbers and a shared database without a key are refused', () => {
  assert.throws(() => loadConfig({ PORT: 'abc' }), /PORT must be a whole number/);
  assert.throws(() => loadConfig({ TESSERA_ARGON2_MEMORY_KIB: '19k' }), /TESSERA_ARGON2_MEMORY_KIB/);
  assert.throws(() => loadConfig({ TESSERA_IP_LOGIN_LIMIT: '0' }), /TESSERA_IP_LOGIN_LIMIT/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://x/y' }), /TESSERA_SECRET_KEY is required with DATABASE_URL/);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: 'ab'.repeat(32) }).databaseUrl, 'postgres://x/y');
});

test('OPS-4 (issue 9 item 6): TESSERA_METRICS_TOKEN must be long enough and is never echoed', () => {
  assert.equal(loadConfig({}).metricsToken, undefined);
  assert.equal(loadConfig({ TESSERA_METRICS_TOKEN: 'metrics-token-0123456789' }).metricsToken, 'metrics-token-0123456789');
  assert.throws(() => loadConfig({ TESSERA_METRICS_TOKEN: 'short-secret' }), (e: Error) => e instanceof ConfigError && !e.message.includes('short-secret'));
});

test('defaults: 127.0.0.1:3000, embedded data in ./data', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /\/data$/);
  assert.equal(c.baseUrl, 'http://127.0.0.1:3000');
});

test('OPS-3 mail settings: SMTP_URL must be smtp: or smtps: and is never echoed; defaults for From and polling', () => {
  const c = loadConfig({});
  assert.equal(c.smtpUrl, undefined);
  assert.equal(c.mailFrom, 'Tessera <no-reply@localhost>');
  assert.equal(c.outboxPollMs, 2000);
  assert.equal(loadConfig({ SMTP_URL: 'smtps://u:p%40ss@mail.example.gov.tw:465' }).smtpUrl, 'smtps://u:p%40ss@mail.example.gov.tw:465');
  assert.throws(() => loadConfig({ SMTP_URL: 'http://u:secretpw@mail' }), (e: Error) => e instanceof ConfigError && !e.message.includes('secretpw'));
  assert.throws(() => loadConfig({ SMTP_URL: 'not a url' }), ConfigError);
  assert.equal(loadConfig({ TESSERA_OUTBOX_POLL_MS: '0' }).outboxPollMs, 0);
  assert.equal(c.jobsPollMs, 30_000, 'issue 14: the job scheduler looks every 30 s by default');
  assert.equal(loadConfig({ TESSERA_JOBS_POLL_MS: '0' }).jobsPollMs, 0);
  assert.throws(() => loadConfig({ TESSERA_JOBS_POLL_MS: '-1' }), /TESSERA_JOBS_POLL_MS/);
  assert.throws(() => loadConfig({ TESSERA_OUTBOX_POLL_MS: '-1' }), /TESSERA_OUTBOX_POLL_MS/);
});

test('issue 15 OPS-2: production refuses weak keys and a missing or http TESSERA_BASE_URL; the key is never echoed', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: STRONG, TESSERA_BASE_URL: 'https://id.example.gov.tw' };
  assert.equal(loadConfig(prod).production, true);
  for (const weak of ['00'.repeat(32), 'ab'.repeat(32), Buffer.from('correct horse battery staple 123').toString('base64')]) {
    assert.throws(() => loadConfig({ ...prod, TESSERA_SECRET_KEY: weak }), (e: Error) => e instanceof ConfigError && /too weak/.test(e.message) && !e.message.includes(weak));
    assert.equal(loadConfig({ TESSERA_SECRET_KEY: weak }).production, false, 'outside production a test key is accepted');
  }
  assert.throws(() => loadConfig({ ...prod, TESSERA_BASE_URL: undefined }), /TESSERA_BASE_URL \(https/);
  assert.throws(() => loadConfig({ ...prod, TESSERA_BASE_URL: 'http://id.example.gov.tw' }), /TESSERA_BASE_URL \(https/);
});

test('issue 15: TESSERA_TRUST_PROXY is a number of hops or a list of addresses; true only outside production', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TESSERA_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.deepEqual(loadConfig({ TESSERA_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1' }).trustProxy, ['10.0.0.5', '10.1.0.0/16', '::1']);
  assert.equal(loadConfig({ TESSERA_TRUST_PROXY: 'true' }).trustProxy, true);
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: STRONG, TESSERA_BASE_URL: 'https://id.example.gov.tw' };
  assert.throws(() => loadConfig({ ...prod, TESSERA_TRUST_PROXY: 'true' }), /refused when NODE_ENV=production/);
  assert.equal(loadConfig({ ...prod, TESSERA_TRUST_PROXY: '2' }).trustProxy, 2);
  for (const bad of ['0', 'yes', '10.0.0.300', '10.0.0.0/33']) assert.throws(() => loadConfig({ TESSERA_TRUST_PROXY: bad }), /TESSERA_TRUST_PROXY/);
});

test('issue 15: database timeouts, the readiness timeout and the drain period have defaults and bounds', () => {
  const c = loadConfig({});
  assert.deepEqual(c.db, { connectMs: 5000, statementMs: 30_000, idleInTransactionMs: 60_000 });
  assert.equal(c.readyTimeoutMs, 2000);
  assert.equal(c.drainMs, 0);
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: STRONG, TESSERA_BASE_URL: 'https://id.example.gov.tw' };
  assert.equal(loadConfig(prod).drainMs, 5000);
  assert.equal(loadConfig({ TESSERA_DB_STATEMENT_TIMEOUT_MS: '0' }).db.statementMs, 0);
  assert.throws(() => loadConfig({ TESSERA_DB_CONNECT_TIMEOUT_MS: '0' }), /TESSERA_DB_CONNECT_TIMEOUT_MS/);
  assert.throws(() => loadConfig({ TESSERA_DRAIN_MS: 'soon' }), /TESSERA_DRAIN_MS/);
});
