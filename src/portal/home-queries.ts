// SQL for 我的首頁 (SSO-4): the systems the account holds a role in, each once, with its client's
// login link and state and whether the account has consented to it.
import type { Db } from '../db/index.ts';

export async function tileRows(db: Db, accountId: number) {
  return db.selectFrom('role_grants as rg')
    .innerJoin('roles as r', 'r.code', 'rg.role_code')
    .innerJoin('application_systems as s', 's.code', 'r.system_code')
    .leftJoin('sso_clients as c', 'c.system_code', 's.code')
    .leftJoin('sso_consents as sc', (j) => j.onRef('sc.system_code', '=', 's.code').onRef('sc.account_id', '=', 'rg.account_id'))
    .select(['s.code', 's.name_zh', 's.name_en', 's.category', 's.flags', 'c.initiate_login_uri', 'c.enabled', 'c.certificate_required', 'sc.granted_at'])
    .where('rg.account_id', '=', accountId)
    .groupBy(['s.code', 's.name_zh', 's.name_en', 's.category', 's.flags', 'c.initiate_login_uri', 'c.enabled', 'c.certificate_required', 'sc.granted_at'])
    .orderBy('s.category').orderBy('s.code')
    .execute();
}
