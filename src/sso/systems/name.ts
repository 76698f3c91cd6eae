// The application system behind a client, by name in the page's language (SSO-1).
import type { Db } from '../../db/index.ts';
import type { Lang } from '../../platform/web/messages.ts';

export async function systemName(db: Db, code: string, lang: Lang): Promise<string | undefined> {
  const r = await db.selectFrom('application_systems').select(['name_zh', 'name_en']).where('code', '=', code).executeTakeFirst();
  return r ? (lang === 'en' ? r.name_en : r.name_zh) : undefined;
}
