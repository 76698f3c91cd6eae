// OPS-2, AUTH-2, AUTH-10: two instances on one PostgreSQL share lock-out, captchas and sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, freshPgDatabase } from '../helpers/app.ts';
import { Client, hiddenFields } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { login, alertText } from '../helpers/login.ts';
import { ManualClock } from '../../src/platform/clock.ts';

const pg = process.env.TESSERA_TEST_PG_URL;

test('OPS-2 AUTH-2: two instances: lock-out, captcha and session hold across both', { skip: !pg && 'runs in the PostgreSQL pass (PGlite is one process)' }, async () => {
  const env = { DATABASE_URL: await freshPgDatabase(pg!), TESSERA_SECRET_KEY: '42'.repeat(32) };
  const clock = new ManualClock('2026-11-25T02:00:00Z');
  const a = await startTestApp({ env, clock });
  const b = await startTestApp({ env, clock });
  try {
    await createAccount(a.deps, { username: 'shareduser', password: 'Correct-Horse-9' });
    const ca = new Client(a.url), cb = new Client(b.url);
    assert.match(alertText((await login(a, ca, 'shareduser', 'Wrong-Guess-1')).body)!, /目前【1】/);
    assert.match(alertText((await login(b, cb, 'shareduser', 'Wrong-Guess-2')).body)!, /目前【2】/);
    assert.match(alertText((await login(a, ca, 'shareduser', 'Wrong-Guess-3')).body)!, /目前【3】/);
    assert.match(alertText((await login(b, cb, 'shareduser', 'Correct-Horse-9')).body)!, /已鎖定/, 'locked on the other instance too');
    clock.advance(16 * 60_000);
    // A captcha issued by instance A is answered on instance B; the session then works on A.
    const page = await ca.get('/login');
    const answer = a.lastCaptcha();
    const moved = new Client(b.url);
    moved.setCookie('tessera_csrf', ca.cookie('tessera_csrf')!);
    const r = await moved.post('/login', { ...hiddenFields(page.body), username: 'shareduser', password: 'Correct-Horse-9', captcha: answer });
    assert.equal(r.status, 303);
    const onA = new Client(a.url);
    onA.setCookie('tessera_sid', moved.cookie('tessera_sid')!);
    assert.equal((await onA.get('/')).status, 200);
  } finally {
    await a.close();
    await b.close();
  }
});
