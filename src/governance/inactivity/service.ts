// Inactivity (GOV-2): the list of inactive and never-used accounts of the caller's jurisdiction
// (page, API, CSV, CLI), and the `inactivity.sweep` job: a notice to the account holder and their
// administrators `inactivity.noticeDays` days before, once per period, through the outbox; and,
// where the policy says `inactivity.autoDisable`, disabling at the threshold with the same effect
// as an administrator's (state, sessions end), audited with reason 'inactivity' and no actor. An
// administrator enables the account again as for any disabled account; the sweep does not disable
// it again until a new period (a sign-in) has passed.
import type { Deps } from '../../platform/deps.ts';
import { DAY } from '../../platform/clock.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { formatTime } from '../../platform/web/format.ts';
import { enqueueMail } from '../../mail-templates.ts';
import { kindsThatMay, scopeFor, scopeIsEmpty, type Actor } from '../../access/authorize.ts';
import { taipeiDate } from '../../requests/format.ts';
import { inactivityRegions, inactiveAt, regionOf, type Region } from './rules.ts';
import { policyRows } from '../../orgs/policy-regions-sql.ts';
import {
  administratorsOf, disableForInactivity, disablesDue, listInactive, noticesDue, recordNotices, type InactiveFilter, type InactiveRow,
} from './store.ts';

export const INACTIVITY_PAGE_SIZE = 50;
const BATCH = 200;

export interface InactiveItem {
  id: number; username: string; name: string; unitOid: string; unitName: string | null; state: string;
  lastSignInAt: Date | null; neverUsed: boolean; basisAt: Date; inactiveSince: Date; days: number; autoDisable: boolean;
}

const item = (r: InactiveRow): InactiveItem => ({
  id: r.id, username: r.username, name: r.name, unitOid: r.unit_oid, unitName: r.unit_name, state: r.state,
  lastSignInAt: r.last_login_at, neverUsed: r.last_login_at === null, basisAt: r.basis_at,
  inactiveSince: new Date(r.basis_at.getTime() + r.days * DAY), days: r.days, autoDisable: r.auto_disable,
});

export const regionsNow = async (deps: Deps): Promise<Region[]> => inactivityRegions(await policyRows(deps.db));

/**
 * The inactive accounts inside the caller's jurisdiction (account.view), in SQL; a caller who may
 * view no account gets "not found", as for the account search.
 */
export async function inactiveAccounts(deps: Deps, actor: Actor | null, f: Omit<InactiveFilter, 'limit' | 'offset'> & { page: number; pageSize: number }) {
  const scope = actor === null ? { all: true as const } : scopeFor(actor, 'account.view');
  if (scopeIsEmpty(scope)) throw notFound();
  const r = await listInactive(deps.db, scope, await regionsNow(deps), deps.clock.now(), {
    unit: f.unit, used: f.used, limit: f.pageSize, offset: (f.page - 1) * f.pageSize,
  });
  return { total: r.total, items: r.rows.map(item) };
}

/** The CSV columns of the export (through the platform's formula-safe writer). */
export const INACTIVITY_CSV_COLUMNS = ['username', 'name', 'unit_oid', 'unit_name', 'state', 'last_sign_in_at', 'never_used', 'inactive_since', 'auto_disable'] as const;

export function csvRows(items: InactiveItem[]) {
  return items.map((i) => ({
    username: i.username, name: i.name, unit_oid: i.unitOid, unit_name: i.unitName ?? '', state: i.state,
    last_sign_in_at: i.lastSignInAt ? formatTime(i.lastSignInAt, 'zh-TW') : '', never_used: i.neverUsed ? 'yes' : 'no',
    inactive_since: taipeiDate(i.inactiveSince), auto_disable: i.autoDisable ? 'yes' : 'no',
  }));
}

const baseUrl = (deps: Deps) => deps.config.baseUrl.replace(/\/$/, '');
/** Administrators told about their accounts: the kinds that may enable and disable them (the central authority is not mailed for every account). */
const NOTIFIED_KINDS = kindsThatMay('account.state').filter((k) => k !== 'central');

async function sendNotices(deps: Deps, regions: Region[]): Promise<number> {
  let noticed = 0;
  for (;;) {
    const now = deps.clock.now();
    const due = await noticesDue(deps.db, regions, now, BATCH);
    if (due.length === 0) return noticed;
    const sent = await deps.db.transaction().execute(async (trx) => {
      const withDates = due.map((r) => ({ ...r, inactive_at: new Date(r.basis_at.getTime() + r.days * DAY) }));
      const mine = await recordNotices(trx, withDates, now);
      const ours = withDates.filter((r) => mine.has(r.id));
      for (const r of ours) {
        if (!r.email) continue;
        await enqueueMail(trx, now, {
          to: r.email, template: 'inactivity.notice', lang: 'zh-TW',
          vars: {
            name: r.name, username: r.username, lastUse: r.last_login_at ? formatTime(r.last_login_at, 'zh-TW') : '從未使用（帳號建立或啟用後未曾登入）',
            inactiveOn: taipeiDate(r.inactive_at), disables: r.auto_disable, url: `${baseUrl(deps)}/login`,
          },
        });
      }
      // One list per administrator for this batch.
      const admins = await administratorsOf(trx, ours.map((r) => r.id), NOTIFIED_KINDS);
      const byAdmin = new Map<number, { email: string; name: string; ids: number[] }>();
      for (const a of admins) {
        const e = byAdmin.get(a.admin_id) ?? { email: a.email, name: a.name, ids: [] };
        e.ids.push(a.account_id);
        byAdmin.set(a.admin_id, e);
      }
      const byId = new Map(ours.map((r) => [r.id, r]));
      for (const a of byAdmin.values()) {
        const list = a.ids.map((id) => byId.get(id)!).map((r) => `- ${r.username}　${r.name}　${r.unit_name ?? r.unit_oid}　${taipeiDate(r.inactive_at)}${r.auto_disable ? '（自動停用 / disabled automatically）' : ''}`).join('\n');
        await enqueueMail(trx, now, { to: a.email, template: 'inactivity.adminNotice', lang: 'zh-TW', vars: { name: a.name, count: a.ids.length, list, url: `${baseUrl(deps)}/admin/inactivity` } });
      }
      return ours.length;
    });
    noticed += sent;
    if (due.length < BATCH) return noticed;
  }
}

async function disableInactive(deps: Deps, regions: Region[]): Promise<number> {
  let disabled = 0;
  for (;;) {
    const now = deps.clock.now();
    const due = await disablesDue(deps.db, regions, now, BATCH);
    if (due.length === 0) return disabled;
    let here = 0;
    for (const a of due) {
      const region = regionOf(regions, a.unit_oid);
      const inactive_at = inactiveAt(a.basis_at, region);
      const done = await deps.db.transaction().execute(async (trx) => {
        if (!await disableForInactivity(trx, { ...a, inactive_at }, now)) return false;
        await audit(trx, now, {
          actor: null, action: 'account.state', targetType: 'account', targetId: a.id, orgOid: a.unit_oid,
          details: { before: a.state, after: 'disabled', reason: 'inactivity', lastUse: a.basis_at.toISOString(), days: region.days },
        });
        return true;
      });
      if (done) { disabled++; here++; }
    }
    if (due.length < BATCH || here === 0) return disabled;
  }
}

/** The `inactivity.sweep` job: notices first, then disabling where the policy says so. */
export async function sweepInactivity(deps: Deps): Promise<{ noticed: number; disabled: number }> {
  const regions = await regionsNow(deps);
  const noticed = await sendNotices(deps, regions);
  const disabled = await disableInactive(deps, regions);
  return { noticed, disabled };
}
