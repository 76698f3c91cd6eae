// Administrator pages for accounts (ADM-3, ADM-4, ADM-5, AUTH-7) under /admin/accounts. HTTP only:
// read the form, call one service function (which authorizes), then redirect (POST-redirect-GET)
// or show the form again with its errors. Every page works without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { isMessageKey, type Lang, type MessageKey } from '../messages.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession, loadActor } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { typed, NoQuery, type Static } from '../platform/http/contract.ts';
import { getOrg } from '../orgs/store.ts';
import { isValidOid } from '../orgs/oid.ts';
import { isValidNationalId, maskNationalId, normaliseNationalId } from '../accounts/national-id.ts';
import { authorize, scopeFor, scopeIsEmpty, type Actor } from '../access/authorize.ts';
import { searchAccounts } from './account-directory.ts';
import {
  ACCOUNT_FIELDS, accountFor, addAccount, creatableUnit, unitChoices, unitRules, usernameProblem, unitsWithin, updateAccount, type AccountErrors, type AccountInput,
} from './accounts.ts';
import { accountsToDelete, deleteAccounts, enableOneDayPassword, resendVerificationMail, resetToInitialPassword, setAccountState, unlockAccount } from './account-actions.ts';
import { heldRoleNames, roleChoices, setRoles } from './role-assignment.ts';
import { recoveryFacts, recoveryFor } from './password-recovery.ts';
import { AddAccountPage, ChooseUnitPage, type GrantOrg } from './views/account-new.tsx';
import { SearchPage, type SearchView } from './views/account-search.tsx';
import { EditAccountPage, type EditView } from './views/account-edit.tsx';
import { DeleteConfirmPage } from './views/delete-confirm.tsx';
import { RolesPage } from './views/roles.tsx';
import { AdminIndexPage } from './views/index.tsx';
import { ImportAccountsPage } from './views/account-import.tsx';
import { exportAccounts, importAccounts } from './account-csv.ts';
import { accountGrants, givableKinds } from './grant-directory.ts';
import { listPasskeys } from '../auth/passkeys.ts';
import { listCertificates } from '../auth/cert/service.ts';
import {
  AccountForm, AccountQuery, AccountSearchQuery, ButtonForm, Csv, DeleteForm, FORM_PAGE, IdParams, ImportForm, ImportQuery, NewAccountQuery, PAGE,
  RolesForm, StateForm, UsernameCheckAnswer, UsernameCheckQuery, Html,
} from './page-schemas.ts';

const PAGE_SIZE = 20;
/** The form's profile fields, a field left out as empty (as the form sends it); `_csrf` is not one. */
const formValues = (b: Static<typeof AccountForm>): AccountInput => Object.fromEntries(ACCOUNT_FIELDS.map((f) => [f, b[f] ?? '']));

export const pageActor = async (deps: Deps, req: FastifyRequest): Promise<Actor> => loadActor(deps, requireSession(req).accountId);

/** `done` values the account page announces after a redirect; any other value shows nothing. */
const DONE: Record<string, MessageKey> = {
  'created-birthday': 'admin.created.birthday_national_id', 'created-link': 'admin.created.email_link', updated: 'admin.updated',
  unchanged: 'admin.unchanged', state: 'admin.state.enabled', unlocked: 'admin.unlocked', 'not-locked': 'admin.notLocked',
  reset: 'admin.resetDone', 'one-day': 'admin.oneDay.done', roles: 'admin.roles.saved', 'mail-resent': 'admin.resend.done', 'link-sent': 'admin.link.done',
  'passkey-removed': 'passkey.removed', 'passkey-gone': 'error.notFound',
  'certificate-removed': 'cert.removed', 'certificate-gone': 'error.notFound',
};

export function accountPages(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const view = !scopeIsEmpty(scopeFor(actor, 'account.view'));
    if (!view) throw notFound();
    return page(req, reply, (ctx) => <AdminIndexPage ctx={ctx} can={{
      view, create: !scopeIsEmpty(scopeFor(actor, 'account.create')),
      // Main-account holders (ACC-7) manage their school's sub-accounts on the tenant page.
      tenant: actor.grants.some((g) => g.kind === 'main_account'),
      // Links only: each page asks authorize for what it shows (a grant's kind is enough to offer them).
      decide: actor.grants.some((g) => g.kind !== 'helpdesk'),
      manageSystems: actor.grants.some((g) => g.kind === 'central' || g.kind === 'registration_admin'),
      grants: givableKinds(actor).length > 0,
      operations: authorize(actor, 'operations.read'),
    }} />);
  });

  app.get('/admin/accounts', { schema: { querystring: AccountSearchQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const query = { unit: (req.query.unit ?? '').trim(), q: (req.query.q ?? '').trim(), nationalId: (req.query.nationalId ?? '').trim() };
    const errors: SearchView['errors'] = {};
    if (query.unit && !isValidOid(query.unit)) errors.unit = 'admin.search.badUnit';
    if (query.nationalId && !isValidNationalId(normaliseNationalId(query.nationalId))) errors.nationalId = 'admin.search.badNationalId';
    const pageNo = req.query.page;
    const v: SearchView = { query, errors };
    if (Object.keys(errors).length === 0) {
      const r = await searchAccounts(deps, actor, { unit: query.unit || undefined, q: query.q || undefined, nationalId: query.nationalId || undefined, page: pageNo, pageSize: PAGE_SIZE });
      const rows = r.items.map((i) => ({
        ...i, canOneDay: authorize(actor, 'account.oneDayPassword', { oid: i.unitOid }), canDelete: authorize(actor, 'account.delete', { oid: i.unitOid }),
      }));
      v.result = { total: r.total, totalExact: r.totalExact, page: pageNo, pageSize: PAGE_SIZE, rows };
    } else if (scopeIsEmpty(scopeFor(actor, 'account.view'))) throw notFound();
    if (req.query.done === 'deleted') { v.done = 'admin.deleted'; v.doneVars = { n: req.query.n ?? 0 }; }
    if (req.query.error === 'none-selected') v.error = 'admin.noneSelected';
    return page(req, reply, (ctx) => <SearchPage ctx={ctx} v={v} />, Object.keys(errors).length ? 400 : 200);
  });

  /** The jurisdictions of the actor's grants that may add accounts, with their agency names (ADM-3). */
  const grantOrgs = async (actor: Actor): Promise<GrantOrg[]> => {
    const roots = [...new Set(actor.grants.filter((g) => authorize({ ...actor, grants: [g] }, 'account.create', { oid: g.jurisdictionOid })).map((g) => g.jurisdictionOid))];
    return Promise.all(roots.map(async (oid) => {
      const o = await getOrg(deps.db, oid);
      return { jurisdictionOid: oid, name: o?.name ?? null, agencyCode: o?.agency_code ?? null };
    }));
  };

  /** Step 1 (issue 9 item 10): the OID picker; `error` when a named unit cannot be used. */
  const choosePage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, q: string, error?: string, status = 200) => {
    if (scopeIsEmpty(scopeFor(actor, 'account.create'))) throw notFound();
    const [grants, r] = await Promise.all([grantOrgs(actor), unitChoices(deps, actor, q)]);
    return page(req, reply, (ctx) => <ChooseUnitPage ctx={ctx} v={{ grants, q, ...r, error }} />, status);
  };

  /** Step 2: the form for one unit, showing that unit's rules; a unit out of reach goes back to step 1. */
  const addPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, values: AccountInput, errors?: AccountErrors, status = 200) => {
    if (scopeIsEmpty(scopeFor(actor, 'account.create'))) throw notFound();
    const { unit, error } = await creatableUnit(deps, actor, (values.unitOid ?? '').trim());
    if (!unit) return choosePage(req, reply, actor, '', values.unitOid ? error : undefined, values.unitOid ? (errors ? 422 : 400) : 200);
    const [{ scheme, usernameScheme, policy }, grants] = await Promise.all([unitRules(deps.db, unit.oid), grantOrgs(actor)]);
    const v = { grants, unit, values: { ...values, unitOid: unit.oid }, errors, scheme, usernameScheme, nationalIdRequired: policy['nationalId.required'], domains: policy['email.allowedDomains'].join('、') || '—' };
    return page(req, reply, (ctx) => <AddAccountPage ctx={ctx} v={v} />, status);
  };

  app.get('/admin/accounts/new', { schema: { querystring: NewAccountQuery, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const unit = (req.query.unit ?? '').trim();
    // Control characters never name a unit: a pasted tab or line break is not part of the search.
    return unit ? addPage(req, reply, actor, { unitOid: unit }) : choosePage(req, reply, actor, (req.query.q ?? '').replace(/[\u0000-\u001f]/g, '').trim());
  });

  app.post('/admin/accounts', { schema: { body: AccountForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const values = formValues(req.body);
    const r = await addAccount(deps, actor, values, clientIp(req), req.ctx.lang);
    if (!r.ok) return addPage(req, reply, actor, values, r.errors, 422);
    return reply.redirect(`/admin/accounts/${r.value.id}?done=${r.value.scheme === 'email_link' ? 'created-link' : 'created-birthday'}`, 303);
  });

  // CSV import (issue 3): pasted into a textarea; a dry run shows what would happen, the import
  // writes everything or nothing and redirects (POST-redirect-GET).
  const importPage = (req: FastifyRequest, reply: FastifyReply, actor: Actor, v: Omit<Parameters<typeof ImportAccountsPage>[0]['v'], 'canView'>, status = 200) =>
    page(req, reply, (ctx) => <ImportAccountsPage ctx={ctx} v={{ ...v, canView: !scopeIsEmpty(scopeFor(actor, 'account.view')) }} />, status);

  app.get('/admin/accounts/import', { schema: { querystring: ImportQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (scopeIsEmpty(scopeFor(actor, 'account.create'))) throw notFound();
    return importPage(req, reply, actor, { csv: '', created: req.query.created });
  });

  app.post('/admin/accounts/import', { schema: { body: ImportForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const csv = req.body.csv ?? '';
    const dryRun = req.body.dryRun === '1';
    const r = await importAccounts(deps, actor, csv, { dryRun, ip: clientIp(req), lang: req.ctx.lang });
    if (r.errors.length) return importPage(req, reply, actor, { csv, result: r }, 422);
    if (dryRun) return importPage(req, reply, actor, { csv, result: r });
    return reply.redirect(`/admin/accounts/import?created=${r.created.length}`, 303);
  });

  app.get('/admin/accounts/export.csv', { schema: { querystring: NoQuery(), response: Csv } }, async (req, reply) => {
    const csv = await exportAccounts(deps, await pageActor(deps, req));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="accounts.csv"').send(csv);
  });

  // ACC-2: the add form checks the username while typing (app.js). Administrators only, for a unit
  // they may create accounts in (else "not found"), so it cannot be used to enumerate usernames.
  app.get('/admin/accounts/username-check', {
    schema: { querystring: UsernameCheckQuery, response: { 200: UsernameCheckAnswer, 400: Html, 404: Html } },
  }, async (req) => {
    const actor = await pageActor(deps, req);
    const unit = (req.query.unit ?? '').trim();
    if (!isValidOid(unit) || !authorize(actor, 'account.create', { oid: unit })) throw notFound();
    if (!await getOrg(deps.db, unit)) throw notFound();
    const username = (req.query.username ?? '').trim();
    if (!username) return { available: null, error: null, message: '' };
    const error = await usernameProblem(deps.db, unit, username);
    return { available: error === null, error, message: error ? (isMessageKey(error) ? req.ctx.t(error) : error) : req.ctx.t('admin.usernameCheck.available') };
  });

  // The first POST (check-boxes) shows what would be deleted; only the second, with confirm=1, deletes.
  app.post('/admin/accounts/delete', { schema: { body: DeleteForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const ids = req.body.ids ?? [];
    if (ids.length === 0) {
      if (scopeIsEmpty(scopeFor(actor, 'account.delete'))) throw notFound();
      return reply.redirect('/admin/accounts?error=none-selected', 303);
    }
    if (req.body.confirm !== '1') {
      const rows = await accountsToDelete(deps, actor, ids);
      return page(req, reply, (ctx) => <DeleteConfirmPage ctx={ctx} rows={rows} />);
    }
    const r = await deleteAccounts(deps, actor, ids, clientIp(req));
    if (!r.ok) return editOrSearchError(req, reply, actor, ids, r.error);
    return reply.redirect(`/admin/accounts?done=deleted&n=${r.deleted}`, 303);
  });

  const editOrSearchError = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, ids: number[], error: string) =>
    ids.length === 1 ? editPage(req, reply, actor, ids[0], { error: error as MessageKey }, 409)
      : page(req, reply, (ctx) => <SearchPage ctx={ctx} v={{ query: { unit: '', q: '', nationalId: '' }, errors: {}, error: error as MessageKey }} />, 409);

  const editPage = async (req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, extra: Partial<EditView> = {}, status = 200) => {
    const a = await accountFor(deps, actor, id, 'account.view');
    const oid = { oid: a.unit_oid };
    const can = {
      update: authorize(actor, 'account.update', oid), move: authorize(actor, 'account.move', oid), state: authorize(actor, 'account.state', oid),
      unlock: authorize(actor, 'account.unlock', oid), reset: authorize(actor, 'account.resetPassword', oid),
      oneDay: authorize(actor, 'account.oneDayPassword', oid), delete: authorize(actor, 'account.delete', oid) && a.id !== actor.accountId,
      roles: authorize(actor, 'account.view', oid), resendMail: authorize(actor, 'account.resendMail', oid),
    };
    const [org, roles, units, { policy }, grants, passkeys, certificates] = await Promise.all([
      getOrg(deps.db, a.unit_oid),
      heldRoleNames(deps, a.id),
      can.move ? unitsWithin(deps, actor, 'account.move') : Promise.resolve([]),
      unitRules(deps.db, a.unit_oid),
      accountGrants(deps, actor, a.id, req.ctx.lang, req.ctx.t('grant.allCategories')),
      listPasskeys(deps, a.id),
      listCertificates(deps, a.id),
    ]);
    const text = (x: unknown) => (x === null || x === undefined ? '' : String(x));
    const values: AccountInput = {
      unitOid: a.unit_oid, name: a.name, nationalId: '', birthMonth: text(a.birth_month), birthDay: text(a.birth_day), email: text(a.email),
      mobile: text(a.mobile), title: text(a.title), department: text(a.department), address: text(a.address), officePhone: text(a.office_phone),
      officeExt: text(a.office_ext), fax: text(a.fax), staffCode: text(a.staff_code), postalCode: text(a.postal_code), ...extra.values,
    };
    const v: EditView = {
      account: a, unitName: org?.name ?? null, maskedNationalId: a.national_id_enc ? maskNationalId(deps.keyring.decrypt(a.national_id_enc)) : null,
      roles, units, can, domains: policy['email.allowedDomains'].join('、') || '—', grants,
      recovery: recoveryFor(policy['initialPassword.scheme'], recoveryFacts(a)), passkeys, certificates, ...extra, values,
    };
    return page(req, reply, (ctx) => <EditAccountPage ctx={ctx} v={v} />, status);
  };

  app.get('/admin/accounts/:id', { schema: { params: IdParams, querystring: AccountQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const id = req.params.id;
    const done = DONE[req.query.done ?? ''];
    const a = done ? await accountFor(deps, actor, id, 'account.view') : undefined;
    const doneVars = a ? { username: a.username, name: a.name, state: req.ctx.t(`state.${a.state}` as MessageKey), added: req.query.a ?? 0, removed: req.query.r ?? 0 } : undefined;
    return editPage(req, reply, actor, id, { done, doneVars });
  });

  app.post('/admin/accounts/:id', { schema: { params: IdParams, body: AccountForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const id = req.params.id;
    const values = formValues(req.body);
    // A form without the unit select (no move permission) leaves the unit as it is.
    const input = { ...values, unitOid: values.unitOid || undefined };
    const r = await updateAccount(deps, actor, id, input, clientIp(req));
    if (!r.ok) return editPage(req, reply, actor, id, { values, errors: r.errors }, 422);
    return reply.redirect(`/admin/accounts/${id}?done=${r.value.changed.length ? 'updated' : 'unchanged'}`, 303);
  });

  /** The one-button actions: run, then back to the account with what happened, or its refusal. */
  type Outcome = Promise<{ ok: true; done: string } | { ok: false; error: string }>;
  const action = <B extends typeof ButtonForm | typeof StateForm>(path: string, body: B, run: (actor: Actor, id: number, body: Static<B>, ip: string, lang: Lang) => Outcome) =>
    app.post(`/admin/accounts/:id/${path}`, { schema: { params: IdParams, body, response: FORM_PAGE } }, async (req, reply) => {
      const actor = await pageActor(deps, req);
      const id = req.params.id;
      const r = await run(actor, id, req.body as Static<B>, clientIp(req), req.ctx.lang);
      if (!r.ok) return editPage(req, reply, actor, id, { error: r.error as MessageKey }, 409);
      return reply.redirect(`/admin/accounts/${id}?done=${r.done}`, 303);
    });

  action('state', StateForm, async (actor, id, body, ip) => {
    const r = await setAccountState(deps, actor, id, body.state === 'enabled' ? 'enabled' : 'disabled', ip);
    return r.ok ? { ok: true, done: 'state' } : r;
  });
  action('unlock', ButtonForm, async (actor, id, _b, ip) => {
    const r = await unlockAccount(deps, actor, id, ip);
    return r.ok ? { ok: true, done: r.wasLocked ? 'unlocked' : 'not-locked' } : r;
  });
  action('resend-mail', ButtonForm, async (actor, id, _b, ip, lang) => {
    const r = await resendVerificationMail(deps, actor, id, ip, lang);
    return r.ok ? { ok: true, done: r.activated ? 'link-sent' : 'mail-resent' } : r;
  });
  action('reset-password', ButtonForm, async (actor, id, _b, ip) => {
    const r = await resetToInitialPassword(deps, actor, id, ip);
    return r.ok ? { ok: true, done: 'reset' } : r;
  });
  action('one-day-password', ButtonForm, async (actor, id, _b, ip) => {
    const r = await enableOneDayPassword(deps, actor, id, ip);
    return r.ok ? { ok: true, done: 'one-day' } : r;
  });

  app.get('/admin/accounts/:id/roles', { schema: { params: IdParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const r = await roleChoices(deps, actor, req.params.id);
    const otherHeld = (await heldRoleNames(deps, r.account.id)).filter((h) => r.otherHeld.includes(h.code));
    return page(req, reply, (ctx) => <RolesPage ctx={ctx} v={{ accountId: r.account.id, name: r.account.name, unitOid: r.account.unit_oid, grantable: r.grantable, otherHeld }} />);
  });

  app.post('/admin/accounts/:id/roles', { schema: { params: IdParams, body: RolesForm, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const id = req.params.id;
    const r = await setRoles(deps, actor, id, req.body.roles ?? [], clientIp(req));
    return reply.redirect(`/admin/accounts/${id}?done=roles&a=${r.added.length}&r=${r.removed.length}`, 303);
  });
}
