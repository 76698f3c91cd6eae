// The account-changing operations of the JSON API (ADM-3, ADM-5, ADM-6, AUTH-7): the same service
// functions as the pages, registered inside the token-checked /api/v1 plugin (api-routes.ts), so
// each route is behind the bearer token by construction and decides through `authorize`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { isMessageKey } from '../messages.ts';
import { clientIp } from '../platform/http/pages.ts';
import { apiActor } from '../access/api-auth.ts';
import { addAccount, updateAccount, type AccountErrors, type AccountInput } from './accounts.ts';
import { deleteAccounts, enableOneDayPassword, resendVerificationMail, resetToInitialPassword, setAccountState, unlockAccount, type ActionOutcome } from './account-actions.ts';
import { roleChoices, setRoles } from './role-assignment.ts';
import { systemAdministrators } from '../sso/systems/admins.ts';
import { csvErrorText, exportAccounts, importAccounts, type CsvError } from './account-csv.ts';
import { typed, NoBody, NoQuery } from '../platform/http/contract.ts';
import {
  accountCreateBody, accountCreated, accountImportBody, accountImportResult, accountIdParams, accountPatchBody, accountsCsv, accountUpdated, deleteBody, deleteResult,
  issuedResult, READ_ERRORS, resendResult, roleChoiceList, rolesBody, rolesResult, stateBody, stateResult, systemAdminList, systemCodeParams, unlockResult,
  writeErrors, type ProfileBody,
} from './api-schemas.ts';

/** JSON values as the form strings the service validates; null clears (''); left out stays out. */
function toInput(b: ProfileBody): AccountInput {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function refused(req: FastifyRequest, reply: FastifyReply, r: { errors: AccountErrors; domains?: string[] }) {
  const t = req.ctx.t;
  const domains = r.domains?.join(', ') ?? '';
  const messages = Object.fromEntries(Object.entries(r.errors).map(([f, e]) => [f, isMessageKey(e!) ? t(e!, { domains }) : e!]));
  return reply.status(422).send({ error: 'error.badRequest', message: t('error.badRequest'), errors: messages });
}

/** An action the account's state does not allow (409), or its result. */
function outcome<T extends object>(req: FastifyRequest, reply: FastifyReply, r: ActionOutcome<T>) {
  if (!r.ok) return reply.status(409).send({ error: r.error, message: isMessageKey(r.error) ? req.ctx.t(r.error) : r.error });
  const { ok: _ok, ...rest } = r;
  return rest;
}

export function accountWriteRoutes(app: FastifyInstance, deps: Deps): void {
  const api = typed(app);
  /** One account-changing operation on /accounts/{id}: its summary, body, success and errors. */
  const write = <B extends object, R extends object>(summary: string, body: B, ok: R) =>
    ({ summary, params: accountIdParams, body, response: { 200: ok, ...writeErrors } });

  api.post('/accounts', {
    schema: {
      summary: 'Add an account in a unit of the caller\'s jurisdiction (ADM-3); state not_activated, activated by the unit\'s initial-password scheme (AUTH-4)',
      body: accountCreateBody, response: { 201: accountCreated, ...writeErrors },
    },
  }, async (req, reply) => {
    const r = await addAccount(deps, apiActor(req), toInput(req.body), clientIp(req), req.ctx.lang);
    if (!r.ok) return refused(req, reply, r);
    return reply.status(201).send({ id: r.value.id, username: r.value.username, state: 'not_activated', scheme: r.value.scheme });
  });

  // CSV import (issue 3): all or nothing, refusals by line; 200 dry run, 201 imported, 422 refused.
  api.post('/accounts/import', {
    schema: {
      summary: 'Import accounts from CSV (issue 3): each row by the rules of adding an account, in units of the caller\'s jurisdiction; all or nothing, refusals by line; dryRun writes nothing',
      body: accountImportBody,
      response: {
        200: accountImportResult('Dry run: what would be created'), 201: accountImportResult('Imported'),
        422: accountImportResult('Refused rows (by line); nothing written'), ...READ_ERRORS,
      },
    },
  }, async (req, reply) => {
    const r = await importAccounts(deps, apiActor(req), req.body.csv, { dryRun: req.body.dryRun, ip: clientIp(req), lang: req.ctx.lang });
    const answer = (e: CsvError) => ({ line: e.line, ...(e.column ? { column: e.column } : {}), error: e.error, message: csvErrorText(req.ctx.t, e) });
    const errors = r.errors.map(answer);
    return reply.status(errors.length ? 422 : r.dryRun ? 200 : 201).send({ dryRun: r.dryRun, created: r.created, errors, warnings: r.warnings.map((w) => ({ ...answer(w), column: w.column ?? '' })) });
  });

  api.get('/accounts/export.csv', {
    schema: {
      summary: 'The accounts inside the caller\'s jurisdiction as CSV (UTF-8 with BOM), national ID masked, no secrets',
      querystring: NoQuery(), response: { 200: accountsCsv, ...READ_ERRORS },
    },
  }, async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="accounts.csv"')
    .send(await exportAccounts(deps, apiActor(req))));

  api.patch('/accounts/:id', {
    schema: write('Modify an account (ADM-5): profile, name, national ID, unit (a move needs both units in the jurisdiction)', accountPatchBody, accountUpdated),
  }, async (req, reply) => {
    const r = await updateAccount(deps, apiActor(req), req.params.id, toInput(req.body), clientIp(req));
    return r.ok ? r.value : refused(req, reply, r);
  });

  api.post('/accounts/:id/state', {
    schema: write('Enable or disable an account (ADM-5)', stateBody, stateResult),
  }, async (req, reply) => outcome(req, reply, await setAccountState(deps, apiActor(req), req.params.id, req.body.state, clientIp(req))));

  api.post('/accounts/:id/unlock', {
    schema: write('Clear the lock-out (AUTH-2)', NoBody(), unlockResult),
  }, async (req, reply) => outcome(req, reply, await unlockAccount(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/reset-password', {
    schema: write('Back to the initial password, valid until midnight Asia/Taipei (還原密碼, ADM-5)', NoBody(), issuedResult),
  }, async (req, reply) => outcome(req, reply, await resetToInitialPassword(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/one-day-password', {
    schema: write('Enable a one-day password until midnight Asia/Taipei (AUTH-7)', NoBody(), issuedResult),
  }, async (req, reply) => outcome(req, reply, await enableOneDayPassword(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/resend-mail', {
    schema: write('補寄驗證信: a new set-password link to an account waiting for activation; older links void (ACC-7, ADM-1)', NoBody(), resendResult),
  }, async (req, reply) => outcome(req, reply, await resendVerificationMail(deps, apiActor(req), req.params.id, clientIp(req), req.ctx.lang)));

  api.post('/accounts/delete', {
    schema: {
      summary: 'Delete accounts, irreversibly and all or nothing: personal data erased, audit trail kept (ADM-5, ACC-3)',
      body: deleteBody, response: { 200: deleteResult, ...writeErrors },
    },
  }, async (req, reply) => outcome(req, reply, await deleteAccounts(deps, apiActor(req), req.body.ids, clientIp(req))));

  api.get('/accounts/:id/roles', {
    schema: {
      summary: 'Roles the caller may give this account, and the others it holds (ADM-5, ADM-7)',
      params: accountIdParams, querystring: NoQuery(), response: { 200: roleChoiceList, ...READ_ERRORS },
    },
  }, async (req) => {
    const r = await roleChoices(deps, apiActor(req), req.params.id);
    return { grantable: r.grantable, otherHeld: r.otherHeld };
  });

  api.put('/accounts/:id/roles', {
    schema: write('Set the account\'s roles among the grantable ones (角色設定)', rolesBody, rolesResult),
  }, async (req) => setRoles(deps, apiActor(req), req.params.id, req.body.roles, clientIp(req)));

  api.get('/systems/:code/admins', {
    schema: {
      summary: 'Administrators of a system per agency, inside the caller\'s jurisdiction (ADM-6)',
      params: systemCodeParams, querystring: NoQuery(), response: { 200: systemAdminList, ...READ_ERRORS },
    },
  }, async (req) => {
    const r = await systemAdministrators(deps, apiActor(req), req.params.code);
    return { system: r.system, items: r.admins };
  });
}
