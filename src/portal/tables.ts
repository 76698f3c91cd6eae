// Tables of the portal home and announcements (SSO-4, SSO-5, ACC-6) (Kysely types). Merged into the Database interface in src/db/types.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PortalTables {}
