// Pure rules of single sign-on (SSO-2..4): client registration, acr/amr, refusals, scopes → claims.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkClient, uriProblem, type ClientShape } from './client-rules.ts';
import { ACR, ACR_RANK, authContextOf, meetsAcr, requiredAcr, satisfiesCertificateRequirement } from './auth-context.ts';
import { refusalOf } from './access.ts';
import { claimsForScopes, scopesCoveredBy, SCOPES } from './claims.ts';
import { consentCovers } from './policy.ts';

const good: ClientShape = {
  authMethod: 'client_secret_basic', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['https://csm.example.gov.tw/cb'],
  postLogoutRedirectUris: [], backchannelLogoutUri: null, initiateLoginUri: null, jwks: null, idTokenSignedResponseAlg: 'ES256',
};
const fields = (c: Partial<ClientShape>) => checkClient({ ...good, ...c }).map((e) => `${e.field}:${e.message}`);

test('SSO-2 client rules: https redirect URIs (http only on loopback), no fragment, no user info', () => {
  assert.deepEqual(fields({}), []);
  assert.equal(uriProblem('http://localhost:8080/cb'), null);
  assert.equal(uriProblem('http://127.0.0.1/cb'), null);
  assert.equal(uriProblem('http://csm.example.gov.tw/cb'), 'sso.client.uriNotHttps');
  assert.equal(uriProblem('https://csm.example.gov.tw/cb#x'), 'sso.client.uriInvalid');
  assert.equal(uriProblem('https://user:pw@csm.example.gov.tw/cb'), 'sso.client.uriInvalid');
  assert.equal(uriProblem('/relative'), 'sso.client.uriInvalid');
  assert.equal(uriProblem('javascript:alert(1)'), 'sso.client.uriInvalid');
  assert.deepEqual(fields({ redirectUris: [] }), ['redirectUris:sso.client.redirectUriRequired']);
  assert.deepEqual(fields({ backchannelLogoutUri: 'http://rp.example/bcl' }), ['backchannelLogoutUri:sso.client.uriNotHttps']);
  assert.deepEqual(fields({ redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) }), ['redirectUris:sso.client.tooManyUris']);
});

test('SSO-2 client rules: auth methods, grant types, public clients, private_key_jwt keys, secret length, alg', () => {
  assert.deepEqual(fields({ authMethod: 'client_secret_jwt' }), ['authMethod:sso.client.authMethodInvalid']);
  assert.deepEqual(fields({ grantTypes: ['implicit'] }), ['grantTypes:sso.client.grantTypesInvalid']);
  assert.deepEqual(fields({ grantTypes: ['authorization_code', 'authorization_code'] }), ['grantTypes:sso.client.grantTypesInvalid']);
  assert.deepEqual(fields({ authMethod: 'none', grantTypes: ['authorization_code', 'client_credentials'] }), ['grantTypes:sso.client.publicClientCredentials']);
  assert.deepEqual(fields({ grantTypes: ['refresh_token', 'client_credentials'] }), ['grantTypes:sso.client.refreshNeedsCode']);
  assert.deepEqual(fields({ grantTypes: ['client_credentials'], redirectUris: [] }), []);
  assert.deepEqual(fields({ authMethod: 'private_key_jwt' }), ['jwks:sso.client.jwksInvalid']);
  assert.deepEqual(fields({ authMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] } }), ['jwks:sso.client.jwksInvalid']);
  assert.deepEqual(fields({ authMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] } }), []);
  assert.deepEqual(fields({ secret: 'short' }), ['secret:sso.client.secretTooShort']);
  assert.deepEqual(fields({ idTokenSignedResponseAlg: 'HS256' }), ['idTokenSignedResponseAlg:sso.client.algInvalid']);
});

test('SSO-2 acr/amr: password is pwd; only a certificate sign-in meets "certificate required"', () => {
  assert.deepEqual(authContextOf('password'), { acr: ACR.password, amr: ['pwd'] });
  assert.deepEqual(authContextOf('otp').amr, ['otp']);
  assert.ok(authContextOf('certificate').amr.includes('sc'));
  for (const m of ['password', 'otp', 'passkey', 'anything']) assert.equal(satisfiesCertificateRequirement(authContextOf(m).acr), false, m);
  assert.ok(satisfiesCertificateRequirement(authContextOf('certificate').acr));
});

test('SSO-4 refusals: not enabled, then no role, then the certificate flag; nothing else refuses', () => {
  fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom('password', 'certificate', 'otp'), (enabled, hasRole, certificateRequired, method) => {
    const r = refusalOf({ enabled, hasRole, certificateRequired, consentedClaims: null }, authContextOf(method).acr);
    const expected = !enabled ? 'account_disabled' : !hasRole ? 'no_role' : certificateRequired && method !== 'certificate' ? 'certificate_required' : null;
    assert.equal(r, expected);
  }));
});

test('SSO-3 consent covers a request when every claim of its scopes was consented to', () => {
  assert.deepEqual(claimsForScopes(['openid', 'email']), ['sub', 'email']);
  assert.deepEqual(scopesCoveredBy(claimsForScopes(SCOPES)), SCOPES);
  fc.assert(fc.property(fc.subarray(SCOPES), fc.subarray(SCOPES), (given, asked) => {
    const covered = consentCovers(claimsForScopes(given), asked.join(' '));
    assert.equal(covered, asked.every((s) => given.includes(s) || claimsForScopes([s]).every((c) => claimsForScopes(given).includes(c))));
  }));
  assert.equal(consentCovers(null, 'openid'), false, 'no row: ask');
});

test('SSO-2 step-up: the acr a request needs is the weakest Tessera acr it asks for, the certificate for a flagged system; a stronger sign-in meets it', () => {
  assert.equal(requiredAcr(false), null);
  assert.equal(requiredAcr(false, { acrValues: 'urn:other:loa:3' }), null, 'unknown values are voluntary');
  assert.equal(requiredAcr(false, { acrValues: `${ACR.certificate} ${ACR.passkey}` }), ACR.passkey);
  assert.equal(requiredAcr(true, { acrValues: ACR.password }), ACR.certificate);
  fc.assert(fc.property(fc.constantFrom('password', 'otp', 'passkey', 'certificate'), fc.constantFrom(...Object.values(ACR)), (method, asked) => {
    const { acr } = authContextOf(method);
    assert.equal(meetsAcr(acr, asked), ACR_RANK[acr] >= ACR_RANK[asked]);
    assert.equal(refusalOf({ enabled: true, hasRole: true, certificateRequired: false, consentedClaims: null }, acr, { acrValues: asked }) === null, meetsAcr(acr, asked));
  }));
});
