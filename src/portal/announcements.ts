// Announcements (公告, SSO-5): who reads which, and who manages which. Guest announcements are
// public; member ones reach signed-in accounts, and a member one scoped to a system only the
// accounts holding a role in that system. Managing asks `authorize(actor, 'announcement.manage',
// { oid: owner, category })`: platform-wide ones (no system) are the central authority's, a system's
// ones its administrators' (jurisdiction over its owner, categories over its category). Lists are
// filtered in SQL by the same rule (withinSystemScope), never after.
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { authorize, systemScopeFor, type Actor, type SystemScope } from '../access/authorize.ts';
import { validateAnnouncement, type AnnouncementErrors, type AnnouncementInput, type AnnouncementValue } from './announcement-rules.ts';
import type { Audience } from './tables.ts';
import {
  findManageable, findReadable, insertAnnouncement, manageablePage, markAnnouncementDeleted, readablePage, systemsWithin, updateAnnouncementRow,
  type AnnouncementRow, type AnnouncementRows,
} from './announcement-store.ts';

/** SSO-5: ten a page, as on seed 001's screens (每頁顯示 10 列). */
export const ANNOUNCEMENTS_PER_PAGE = 10;

export interface Announcement {
  id: number; audience: Audience; systemCode: string | null; systemZh: string | null; systemEn: string | null;
  title: string; body: string; authorName: string | null; createdAt: Date; updatedAt: Date | null; editorName: string | null;
}
export interface AnnouncementPage { total: number; page: number; pageSize: number; items: Announcement[] }

const toAnnouncement = (r: AnnouncementRow): Announcement => ({
  id: r.id, audience: r.audience, systemCode: r.system_code, systemZh: r.system_zh, systemEn: r.system_en, title: r.title, body: r.body,
  // A deleted author's name is erased (tombstone): shown as unknown, not as an empty string.
  authorName: r.author_name || null, createdAt: r.created_at, updatedAt: r.updated_at, editorName: r.editor_name || null,
});

const pageOf = (r: AnnouncementRows, page: number, pageSize: number): AnnouncementPage =>
  ({ total: r.total, page, pageSize, items: r.rows.map(toAnnouncement) });

/** The announcements a visitor (null: not signed in) may read, newest first. */
export async function readableAnnouncements(deps: Deps, viewer: number | null, page: number, pageSize = ANNOUNCEMENTS_PER_PAGE): Promise<AnnouncementPage> {
  return pageOf(await readablePage(deps.db, viewer, page, pageSize), page, pageSize);
}

/** One announcement the visitor may read; any other is "not found". */
export async function readableAnnouncement(deps: Deps, viewer: number | null, id: number): Promise<Announcement> {
  const r = await findReadable(deps.db, viewer, id);
  if (!r) throw notFound();
  return toAnnouncement(r);
}

// ---- Managing -------------------------------------------------------------------------------

export interface SystemOption { code: string; nameZh: string; nameEn: string; category: string }
/** What the caller may manage: platform-wide announcements (central only) and these systems' (`rule`: the same in SQL). */
export interface ManageScope { platform: boolean; systems: SystemOption[]; rule: SystemScope }

/** The systems come from SQL by `authorize`'s rule (withinSystemScope); their codes then filter the announcement lists. */
export async function manageScope(deps: Deps, actor: Actor): Promise<ManageScope> {
  const rule = systemScopeFor(actor, 'announcement.manage');
  const systems = await systemsWithin(deps.db, rule);
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

export async function manageableAnnouncements(deps: Deps, actor: Actor, page: number, pageSize = ANNOUNCEMENTS_PER_PAGE) {
  const scope = await requireManageScope(deps, actor);
  return { scope, result: pageOf(await manageablePage(deps.db, scope, page, pageSize), page, pageSize) };
}

/** One announcement the caller may manage; anything else (unknown, deleted, another system's) is "not found". */
export async function manageableAnnouncement(deps: Deps, actor: Actor, id: number) {
  const scope = await requireManageScope(deps, actor);
  const r = await findManageable(deps.db, scope, id);
  if (!r) throw notFound();
  return { scope, announcement: toAnnouncement(r) };
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
    const id = await insertAnnouncement(trx, v, actor.accountId, now);
    await audit(trx, now, { actor: actor.accountId, action: 'announcement.create', targetType: 'announcement', targetId: id, ip, details: auditDetails(v) });
    return id;
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
    await updateAnnouncementRow(trx, id, v, actor.accountId, now);
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
    await markAnnouncementDeleted(trx, id, now);
    await audit(trx, now, { actor: actor.accountId, action: 'announcement.delete', targetType: 'announcement', targetId: id, ip,
      details: { audience: a.audience, system: a.systemCode, title: a.title } });
  });
}
