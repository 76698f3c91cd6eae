// SQL round trips per grant (SSO-2; bench/oidc): a refresh is one read (the token, its grant and
// "still enabled and a role holder") and one write; userinfo one read (the access token, its grant
// and the claims); client credentials one write. Counted through a Kysely plugin on the app's
// database, so a change that adds a statement to a grant fails here. The guarantees the combined
// reads must keep (rotation, reuse revokes the family, a removed role or a disabled account stops
// refresh and userinfo, a revoked grant at once) are asserted on the same path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createAccount } from '../helpers/accounts.ts';
import { signInThrough, startTestRp, type TestRp } from '../helpers/oidc-rp.ts';
import { revokeGrantIds } from '../../src/sso/logout-store.ts';
import { giveRoles } from '../helpers/factories.ts';

const PASSWORD = 'Correct-Horse-9';
const UNIT = '2.16.886.101.90027.20002.20011';

/**
 * Records every statement the app executes, apart from client look-ups (a per-instance 1 s cache)
 * and the adapter's occasional sweep of expired rows (one write in 200).
 */
class StatementLog implements KyselyPlugin {
  private pending = new Map<unknown, string>();
  statements: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, JSON.stringify(args.node));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const text = this.pending.get(args.queryId) ?? '';
    this.pending.delete(args.queryId);
    if (!text.includes('"sso_clients"') && !text.includes('WHERE ctid IN')) this.statements.push(text);
    return args.result;
  }
  /** Statements executed by `run`. */
  async count(run: () => Promise<unknown>): Promise<number> {
    this.statements = [];
    await run();
    return this.statements.length;
  }
}

let t: TestApp;
let csm: TestRp;
let machine: TestRp;
const log = new StatementLog();

async function newUser(username: string): Promise<number> {
  const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid: UNIT, name: '林小華', profile: { email: `${username}@example.gov.tw` } });
  await giveRoles(t.deps, id, 'csm_user');
  return id;
}

async function tokensFor(username: string) {
  await signInThrough(new Client(''), csm.loginUrl, { rpUrl: csm.url, username, password: PASSWORD, captcha: () => t.lastCaptcha(), consent: 'accept' });
  return csm.last!.tokens;
}

before(async () => {
  t = await startTestApp();
  // Before the provider is built (lazily, on the first /oidc request): it then uses the logging database.
  t.deps.db = t.deps.db.withPlugin(log);
  csm = await startTestRp(t, { systemCode: 'csm' });
  machine = await startTestRp(t, { systemCode: 'spms', grantTypes: ['client_credentials'] });
});

after(async () => {
  await csm?.close();
  await machine?.close();
  await t?.close();
});

test('SSO-2: a refresh is 2 statements, userinfo 1, client credentials 1 — and rotation and reuse detection still hold', async () => {
  const id = await newUser('rtuser01');
  const config = await csm.configuration();
  let tokens = await tokensFor('rtuser01');
  let refreshed!: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
  assert.equal(await log.count(async () => { refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!); }), 2,
    `refresh_token: ${log.statements.join('\n')}`);
  assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'rotated');
  let info!: oidc.UserInfoResponse;
  assert.equal(await log.count(async () => { info = await oidc.fetchUserInfo(config, refreshed.access_token, String(id)); }), 1,
    `userinfo: ${log.statements.join('\n')}`);
  assert.deepEqual(info.roles, ['csm_user']);
  assert.equal(info.email, 'rtuser01@example.gov.tw');
  const mconfig = await machine.configuration();
  assert.equal(await log.count(() => oidc.clientCredentialsGrant(mconfig, {})), 1, `client_credentials: ${log.statements.join('\n')}`);

  // Reuse of the old refresh token: refused, and the family (the new one and its access token) revoked.
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, refreshed.access_token, String(id)));

  // A grant revoked elsewhere (a logout on another instance) stops the next refresh and userinfo.
  tokens = await tokensFor('rtuser01');
  const grantId = (await t.deps.db.selectFrom('oidc_models').select('grant_id').where('model', '=', 'RefreshToken')
    .where(sql`payload->>'accountId'`, '=', String(id)).where('consumed_at', 'is', null).executeTakeFirstOrThrow()).grant_id!;
  await revokeGrantIds(t.deps.db, [grantId]);
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, String(id)));
});

test('SSO-4: read with the token, the role check still stops the next refresh when the last role goes, and a disabled account gets neither refresh nor userinfo', async () => {
  const id = await newUser('rtuser02');
  const config = await csm.configuration();
  let tokens = await tokensFor('rtuser02');
  await t.deps.db.deleteFrom('role_grants').where('account_id', '=', id).execute();
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  const info = await oidc.fetchUserInfo(config, tokens.access_token, String(id));
  assert.deepEqual(info.roles, [], 'userinfo releases only the roles held now');

  await giveRoles(t.deps, id, 'csm_user');
  tokens = await tokensFor('rtuser02');
  await t.deps.db.updateTable('accounts').set({ state: 'disabled' }).where('id', '=', id).execute();
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, String(id)));
});
