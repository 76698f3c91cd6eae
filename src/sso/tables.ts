// Tables of single sign-on (Kysely types; migration 007). Merged into the Database interface in src/db/types.ts.
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export type IdTokenAlg = 'ES256' | 'RS256';

export interface SsoClientsTable {
  system_code: string;
  secret_enc: string | null;
  auth_method: ClientAuthMethod;
  jwks: ColumnType<{ keys: unknown[] } | null, string | null | undefined, string | null>;
  redirect_uris: ColumnType<string[], string[] | undefined, string[]>;
  post_logout_redirect_uris: ColumnType<string[], string[] | undefined, string[]>;
  backchannel_logout_uri: string | null;
  initiate_login_uri: string | null;
  grant_types: ColumnType<string[], string[] | undefined, string[]>;
  certificate_required: ColumnType<boolean, boolean | undefined, boolean>;
  id_token_signed_response_alg: ColumnType<IdTokenAlg, IdTokenAlg | undefined, IdTokenAlg>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SsoConsentsTable {
  account_id: number;
  system_code: string;
  claims: string[];
  granted_at: Timestamp;
}

/** One artefact of oidc-provider (adapter.ts). */
export interface OidcModelsTable {
  model: string;
  id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

export interface SsoSigningKeysTable {
  kid: string;
  alg: string;
  private_jwk_enc: string;
  created_at: Timestamp;
  activates_at: Timestamp;
}

export interface SsoTables {
  sso_clients: SsoClientsTable;
  sso_consents: SsoConsentsTable;
  oidc_models: OidcModelsTable;
  sso_signing_keys: SsoSigningKeysTable;
}
