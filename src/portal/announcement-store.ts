// SQL for announcements (公告, SSO-5): pages of the ones a visitor may read or a manager may manage,
// each filtered in SQL (never after), the systems a manager may post for (withinSystemScope, the SQL
// form of `authorize`'s rule), and writing, editing and hiding one.
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Database } from '../db/types.ts';
import { type SystemScope } from '../access/authorize.ts';
import { withinSystemScope } from '../access/jurisdiction-sql.ts';
import type { Audience } from './tables.ts';

type Eb = ExpressionBuilder<Database & { a: Database['announcements'] }, 'a'>;

export type AnnouncementRow = {
  id: number; audience: Audience; system_code: string | null; system_zh: string | null; system_en: string | null; title: string; body: string;
  author_name: string | null; created_at: Date; updated_at: Date | null; editor_name: string | null;
};

function baseQuery(db: Db) {
  return db.selectFrom('announcements as a')
    .leftJoin('application_systems as s', 's.code', 'a.system_code')
    .leftJoin('accounts as au', 'au.id', 'a.author_account_id')
    .leftJoin('accounts as ed', 'ed.id', 'a.updated_by')
    .where('a.deleted_at', 'is', null);
}

const COLUMNS = ['a.id', 'a.audience', 'a.system_code', 's.name_zh as system_zh', 's.name_en as system_en', 'a.title', 'a.body',
  'au.name as author_name', 'a.created_at', 'a.updated_at', 'ed.name as editor_name'] as const;

/** Who may read: guests the guest ones; an account also the member ones of the platform and of its systems. */
function readableBy(viewer: number | null) {
  return (eb: Eb) => {
    if (viewer === null) return eb('a.audience', '=', 'guest');
    const mySystems = eb.selectFrom('role_grants as rg').innerJoin('roles as r', 'r.code', 'rg.role_code')
      .select('r.system_code').where('rg.account_id', '=', viewer);
    return eb.or([
      eb('a.audience', '=', 'guest'),
      eb.and([eb('a.audience', '=', 'member'), eb.or([eb('a.system_code', 'is', null), eb('a.system_code', 'in', mySystems)])]),
    ]);
  };
}

/** What a manager may manage: platform-wide ones (central only), and systems' ones by the rule. */
export interface ManageRule { platform: boolean; rule: SystemScope }

/** Over baseQuery's join `s`: the system's owner and category by the rule, or no system for the central authority. */
function manageableBy(scope: ManageRule) {
  return (eb: Eb) => eb.or([
    ...(scope.platform ? [eb('a.system_code', 'is', null)] : []),
    eb.and([eb('a.system_code', 'is not', null), withinSystemScope('s.owner_oid', 's.category', scope.rule)]),
  ]);
}

export interface AnnouncementRows { total: number; rows: AnnouncementRow[] }

async function pageOf(q: ReturnType<typeof baseQuery>, page: number, pageSize: number): Promise<AnnouncementRows> {
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select([...COLUMNS]).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
  ]);
  return { total: Number(count.n), rows: rows as AnnouncementRow[] };
}

/** A page of the announcements the visitor (null: not signed in) may read, newest first, and how many there are. */
export function readablePage(db: Db, viewer: number | null, page: number, pageSize: number): Promise<AnnouncementRows> {
  return pageOf(baseQuery(db).where(readableBy(viewer)), page, pageSize);
}

export async function findReadable(db: Db, viewer: number | null, id: number): Promise<AnnouncementRow | undefined> {
  return await baseQuery(db).where(readableBy(viewer)).where('a.id', '=', id).select([...COLUMNS]).executeTakeFirst() as AnnouncementRow | undefined;
}

/** A page of the announcements the manager may manage, newest first, and how many there are. */
export function manageablePage(db: Db, scope: ManageRule, page: number, pageSize: number): Promise<AnnouncementRows> {
  return pageOf(baseQuery(db).where(manageableBy(scope)), page, pageSize);
}

export async function findManageable(db: Db, scope: ManageRule, id: number): Promise<AnnouncementRow | undefined> {
  return await baseQuery(db).where(manageableBy(scope)).where('a.id', '=', id).select([...COLUMNS]).executeTakeFirst() as AnnouncementRow | undefined;
}

/** The systems whose announcements the rule lets its holder manage. */
export async function systemsWithin(db: Db, rule: SystemScope) {
  return db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category'])
    .where(withinSystemScope('owner_oid', 'category', rule)).orderBy('category').orderBy('code').execute();
}

export interface AnnouncementFields { audience: Audience; systemCode: string | null; title: string; body: string }

export async function insertAnnouncement(trx: Db, v: AnnouncementFields, authorId: number, now: Date): Promise<number> {
  const row = await trx.insertInto('announcements').values({
    audience: v.audience, system_code: v.systemCode, title: v.title, body: v.body, author_account_id: authorId, created_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAnnouncementRow(trx: Db, id: number, v: AnnouncementFields, editorId: number, now: Date): Promise<void> {
  await trx.updateTable('announcements').set({
    audience: v.audience, system_code: v.systemCode, title: v.title, body: v.body, updated_at: now, updated_by: editorId,
  }).where('id', '=', id).where('deleted_at', 'is', null).execute();
}

/** Hidden everywhere; the row stays so the audit trail's reference holds. */
export async function markAnnouncementDeleted(trx: Db, id: number, now: Date): Promise<void> {
  await trx.updateTable('announcements').set({ deleted_at: now }).where('id', '=', id).execute();
}
