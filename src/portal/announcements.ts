// Announcements (公告, SSO-5): who reads which, and who manages which. Guest announcements are
// public; member ones reach signed-in accounts, and a member one scoped to a system only the
// accounts holding a role in that system. Managing asks `authorize(actor, 'announcement.manage',
// { oid: owner, category })`: platform-wide ones (no system) are the central authority's, a system's
// ones its administrators' (jurisdiction over its owner, categories over its category). Lists are
// filtered in SQL by the same rule (withinSystemScope), never after.
import type { ExpressionBuilder } from 'kysely';
import type { Deps } from '../platform/deps.ts';
import type { Database } from '../db/types.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, systemScopeFor, withinSystemScope, type Actor, type SystemScope } from '../access/authorize.ts';
import { validateAnnouncement, type AnnouncementErrors, type AnnouncementInput, type AnnouncementValue } from './announcement-rules.ts';
import type { Audience } from './tables.ts';

/** SSO-5: ten a page, as on seed 001's screens (每頁顯示 10 列). */
export const ANNOUNCEMENTS_PER_PAGE = 10;

export interface Announcement {
  id: number; audience: Audience; systemCode: string | null; systemZh: string | null; systemEn: string | null;
  title: string; body: string; authorName: string | null; createdAt: Date; updatedAt: Date | null; editorName: string | null;
}
export interface AnnouncementPage { total: number; page: number; pageSize: number; items: Announcement[] }

type Eb = ExpressionBuilder<Database & { a: Database['announcements'] }, 'a'>;

function baseQuery(deps: Deps) {
  return deps.db.selectFrom('announcements as a')
    .leftJoin('application_systems as s', 's.code', 'a.system_code')
    .leftJoin('accounts as au', 'au.id', 'a.author_account_id')
    .leftJoin('accounts as ed', 'ed.id', 'a.updated_by')
    .where('a.deleted_at', 'is', null);
}

const COLUMNS = ['a.id', 'a.audience', 'a.system_code', 's.name_zh as system_zh', 's.name_en as system_en', 'a.title', 'a.body',
  'au.name as author_name', 'a.created_at', 'a.updated_at', 'ed.name as editor_name'] as const;

type Row = { id: number; audience: Audience; system_code: string | null; system_zh: string | null; system_en: string | null; title: string; body: string;
  author_name: string | null; created_at: Date; updated_at: Date | null; editor_name: string | null };

const toAnnouncement = (r: Row): Announcement => ({
  id: r.id, audience: r.audience, systemCode: r.system_code, systemZh: r.system_zh, systemEn: r.system_en, title: r.title, body: r.body,
  // A deleted author's name is erased (tombstone): shown as unknown, not as an empty string.
  authorName: r.author_name || null, createdAt: r.created_at, updatedAt: r.updated_at, editorName: r.editor_name || null,
});

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

async function pageOf(q: ReturnType<typeof baseQuery>, page: number, pageSize: number): Promise<AnnouncementPage> {
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select([...COLUMNS]).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc')
      .limit(pageSize).offset((page - 1) * pageSize).execute(),
  ]);
  return { total: Number(count.n), page, pageSize, items: (rows as Row[]).map(toAnnouncement) };
}

/** The announcements a visitor (null: not signed in) may read, newest first. */
export function readableAnnouncements(deps: Deps, viewer: number | null, page: number, pageSize = ANNOUNCEMENTS_PER_PAGE): Promise<AnnouncementPage> {
  return pageOf(baseQuery(deps).where(readableBy(viewer)), page, pageSize);
}

/** One announcement the visitor may read; any other is "not found". */
export async function readableAnnouncement(deps: Deps, viewer: number | null, id: number): Promise<Announcement> {
  const r = await baseQuery(deps).where(readableBy(viewer)).where('a.id', '=', id).select([...COLUMNS]).executeTakeFirst();
  if (!r) throw notFound();
  return toAnnouncement(r as Row);
}

// ---- Managing -------------------------------------------------------------------------------

export interface SystemOption { code: string; nameZh: string; nameEn: string; category: string }
/** What the caller may manage: platform-wide announcements (central only) and these systems' (`rule`: the same in SQL). */
export interface ManageScope { platform: boolean; systems: SystemOption[]; rule: SystemScope }

/** The systems come from SQL by `authorize`'s rule (withinSystemScope); their codes then filter the announcement lists. */
export async function manageScope(deps: Deps, actor: Actor): Promise<ManageScope> {
  const rule = systemScopeFor(actor, 'announcement.manage');
  const systems = await deps.db.selectFrom('application_systems').select(['code', 'name_zh', 'name_en', 'category'])
    .where(withinSystemScope('owner_oid', 'category', rule)).orderBy('category').orderBy('code').execute();
  return {
    platform: authorize(actor, 'announcement.manage', {}),
    systems: systems.map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en, category: s.category })),
    rule,
  };
}

/** A caller who may manage none has no management pages at all. */
export async function requireManageScope(deps: Deps, actor: Actor): Promise<ManageScope> {
  const scope = await manageScope(deps, actor);
  if (!scope.platform && scope.systems.length === 0) throw notFound();
  return scope;
}

/** Over baseQuery's join `s`: the system's owner and category by the rule, or no system for the central authority. */
function manageableBy(scope: ManageScope) {
  return (eb: Eb) => eb.or([
    ...(scope.platform ? [eb('a.system_code', 'is', null)] : []),
    eb.and([eb('a.system_code', 'is not', null), withinSystemScope('s.owner_oid', 's.category', scope.rule)]),
  ]);
}

export async function manageableAnnouncements(deps: Deps, actor: Actor, page: number, pageSize = ANNOUNCEMENTS_PER_PAGE) {
  const scope = await requireManageScope(deps, actor);
  return { scope, result: await pageOf(baseQuery(deps).where(manageableBy(scope)), page, pageSize) };
}

/** One announcement the caller may manage; anything else (unknown, deleted, another system's) is "not found". */
export async function manageableAnnouncement(deps: Deps, actor: Actor, id: number) {
  const scope = await requireManageScope(deps, actor);
  const r = await baseQuery(deps).where(manageableBy(scope)).where('a.id', '=', id).select([...COLUMNS]).executeTakeFirst();
  if (!r) throw notFound();
  return { scope, announcement: toAnnouncement(r as Row) };
}

export type AnnouncementOutcome = { ok: true; value: Announcement } | { ok: false; errors: AnnouncementErrors };

/** The input's rules, then whether the caller may post for the chosen system (or platform-wide). */
function checkInput(scope: ManageScope, input: AnnouncementInput): { value?: AnnouncementValue; errors: AnnouncementErrors } {
  const r = validateAnnouncement(input);
  if (!r.value) return r;
  const code = r.value.systemCode;
  if (code === null ? !scope.platform : !scope.systems.some((s) => s.code === code)) {
    // Unknown and not-allowed read the same: the select lists exactly the allowed choices.
    return { errors: { systemCode: code === null ? 'portal.ann.platformNotAllowed' : 'portal.ann.systemNotAllowed' } };
  }
  return r;
}

const auditDetails = (v: AnnouncementValue) => ({ audience: v.audience, system: v.systemCode, title: v.title });

export async function createAnnouncement(deps: Deps, actor: Actor, input: AnnouncementInput, ip: string | null): Promise<AnnouncementOutcome> {
  const scope = await requireManageScope(deps, actor);
  const r = checkInput(scope, input);
  if (!r.value) return { ok: false, errors: r.errors };
  const v = r.value;
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('announcements').values({
      audience: v.audience, system_code: v.systemCode, title: v.title, body: v.body, author_account_id: actor.accountId, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, now, { actor: actor.accountId, action: 'announcement.create', targetType: 'announcement', targetId: row.id, ip, details: auditDetails(v) });
    return row.id;
  });
  return { ok: true, value: (await manageableAnnouncement(deps, actor, id)).announcement };
}

/**
 * Edits an announcement. Fields left out keep their value (the API's PATCH); moving it to another
 * system needs the right to manage both, as the scope check on the old row and the new input gives.
 */
export async function updateAnnouncement(deps: Deps, actor: Actor, id: number, input: AnnouncementInput, ip: string | null): Promise<AnnouncementOutcome> {
  const { scope, announcement: before } = await manageableAnnouncement(deps, actor, id);
  const merged: AnnouncementInput = {
    audience: input.audience ?? before.audience,
    systemCode: input.systemCode === undefined ? before.systemCode : input.systemCode,
    title: input.title ?? before.title,
    body: input.body ?? before.body,
  };
  const r = checkInput(scope, merged);
  if (!r.value) return { ok: false, errors: r.errors };
  const v = r.value;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('announcements').set({
      audience: v.audience, system_code: v.systemCode, title: v.title, body: v.body, updated_at: now, updated_by: actor.accountId,
    }).where('id', '=', id).where('deleted_at', 'is', null).execute();
    await audit(trx, now, {
      actor: actor.accountId, action: 'announcement.update', targetType: 'announcement', targetId: id, ip,
      details: { before: auditDetails({ audience: before.audience, systemCode: before.systemCode, title: before.title, body: '' }), after: auditDetails(v) },
    });
  });
  return { ok: true, value: (await manageableAnnouncement(deps, actor, id)).announcement };
}

/** Deleted announcements are hidden everywhere; the row stays so the audit trail's reference holds. */
export async function deleteAnnouncement(deps: Deps, actor: Actor, id: number, ip: string | null): Promise<void> {
  const { announcement: a } = await manageableAnnouncement(deps, actor, id);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('announcements').set({ deleted_at: now }).where('id', '=', id).execute();
    await audit(trx, now, { actor: actor.accountId, action: 'announcement.delete', targetType: 'announcement', targetId: id, ip,
      details: { audience: a.audience, system: a.systemCode, title: a.title } });
  });
}
