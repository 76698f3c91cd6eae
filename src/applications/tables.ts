// Tables of self-service account application and one-time codes (REQ-1, AUTH-6) (Kysely types). Merged into the Database interface in src/db/types.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ApplicationTables {}
