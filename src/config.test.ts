// Configuration: production refuses unsafe settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';

test('TESSERA_CAPTCHA=off is refused in production; production needs a key and PostgreSQL', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', TESSERA_SECRET_KEY: 'ab'.repeat(32) };
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
