// The application system behind a client, by name in the page's language (SSO-1).
import type { Db } from '../../db/index.ts';
import type { Lang } from '../../platform/web/messages.ts';
import { findSystem } from './store.ts';

export async function systemName(db: Db, code: string, lang: Lang): Promise<string | undefined> {
  const r = await findSystem(db, code);
  return r ? (lang === 'en' ? r.name_en : r.name_zh) : undefined;
}
