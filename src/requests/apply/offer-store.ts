// SQL of what an application offers (REQ-1, ADM-6): the names of the systems open to the
// organisation, in the registry's order (by category and code).
import type { Db } from '../../db/index.ts';

/** The systems among `codes` with their names, by category and code. */
export async function offeredSystems(db: Db, codes: string[]) {
  return db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en'])
    .where('code', 'in', codes).orderBy('category').orderBy('code').execute();
}
