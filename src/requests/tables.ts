// Tables of the request engine, review queue and history (REQ-2..5) (Kysely types). Merged into the Database interface in src/db/types.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RequestTables {}
