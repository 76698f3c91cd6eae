// Messages of single sign-on (OpenID Connect provider, clients, consent; SSO-1..3) (zh-TW default, en). English is typed against Chinese.
import { ssoAdminMessages } from './admin-messages.ts';

const zh = {
  'sso.client.unknownSystem': '找不到此應用系統。',
  'sso.client.authMethodInvalid': '用戶端驗證方式須為 client_secret_basic、client_secret_post、private_key_jwt 或 none。',
  'sso.client.grantTypesInvalid': '授權類型須為 authorization_code、refresh_token、client_credentials 之一或多項，且不得重複。',
  'sso.client.publicClientCredentials': '公開用戶端（none）不得使用 client_credentials。',
  'sso.client.refreshNeedsCode': 'refresh_token 須搭配 authorization_code。',
  'sso.client.redirectUriRequired': '使用 authorization_code 須至少登錄一個重新導向網址。',
  'sso.client.uriInvalid': '網址須為完整網址（含 https://），且不得含 # 片段或帳號密碼。',
  'sso.client.uriNotHttps': '網址須使用 https（僅本機 localhost 可用 http）。',
  'sso.client.tooManyUris': '網址最多 20 個。',
  'sso.client.jwksInvalid': 'private_key_jwt 須提供用戶端公鑰（JWK Set，不得含私鑰）。',
  'sso.client.secretTooShort': '用戶端密鑰至少 32 個字元。',
  'sso.client.algInvalid': 'ID Token 簽章演算法須為 ES256 或 RS256。',
} as const;
const en: Record<keyof typeof zh, string> = {
  'sso.client.unknownSystem': 'No such application system.',
  'sso.client.authMethodInvalid': 'The client authentication method must be client_secret_basic, client_secret_post, private_key_jwt or none.',
  'sso.client.grantTypesInvalid': 'Grant types must be one or more of authorization_code, refresh_token, client_credentials, without repeats.',
  'sso.client.publicClientCredentials': 'A public client (none) cannot use client_credentials.',
  'sso.client.refreshNeedsCode': 'refresh_token needs authorization_code.',
  'sso.client.redirectUriRequired': 'authorization_code needs at least one redirect URI.',
  'sso.client.uriInvalid': 'A URI must be absolute (with https://), without a # fragment or user name and password.',
  'sso.client.uriNotHttps': 'A URI must use https (http only for localhost).',
  'sso.client.tooManyUris': 'At most 20 URIs.',
  'sso.client.jwksInvalid': 'private_key_jwt needs the client\'s public keys (a JWK Set without private keys).',
  'sso.client.secretTooShort': 'The client secret must be at least 32 characters.',
  'sso.client.algInvalid': 'The ID token signing algorithm must be ES256 or RS256.',
};
export const ssoMessages = { zh: { ...zh, ...ssoAdminMessages.zh }, en: { ...en, ...ssoAdminMessages.en } };
