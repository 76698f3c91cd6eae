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
import {
  accountCreateBody, accountCreated, accountImportBody, accountImportResult, accountIdParams, accountPatchBody, accountUpdated, authErrors, deleteBody, deleteResult,
  issuedResult, resendResult, roleChoiceList, rolesBody, rolesResult, stateBody, stateResult, systemAdminList, systemCodeParams, unlockResult,
  writeErrors, type ProfileBody,
} from './api-schemas.ts';

type IdReq = FastifyRequest<{ Params: { id: number } }>;

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

export function accountWriteRoutes(api: FastifyInstance, deps: Deps): void {
  const idRoute = { params: accountIdParams };

  api.post<{ Body: ProfileBody }>('/accounts', {
    schema: { body: accountCreateBody, response: { 201: accountCreated, ...writeErrors } },
  }, async (req, reply) => {
    const r = await addAccount(deps, apiActor(req), toInput(req.body), clientIp(req), req.ctx.lang);
    if (!r.ok) return refused(req, reply, r);
    return reply.status(201).send({ id: r.value.id, username: r.value.username, state: 'not_activated', scheme: r.value.scheme });
  });

  // CSV import (issue 3): all or nothing, refusals by line; 200 dry run, 201 imported, 422 refused.
  api.post<{ Body: { csv: string; dryRun: boolean } }>('/accounts/import', {
    schema: { body: accountImportBody, response: { 200: accountImportResult, 201: accountImportResult, 422: accountImportResult, ...authErrors } },
  }, async (req, reply) => {
    const r = await importAccounts(deps, apiActor(req), req.body.csv, { dryRun: req.body.dryRun, ip: clientIp(req), lang: req.ctx.lang });
    const answer = (e: CsvError) => ({ line: e.line, ...(e.column ? { column: e.column } : {}), error: e.error, message: csvErrorText(req.ctx.t, e) });
    const errors = r.errors.map(answer);
    return reply.status(errors.length ? 422 : r.dryRun ? 200 : 201).send({ dryRun: r.dryRun, created: r.created, errors, warnings: r.warnings.map(answer) });
  });

  api.get('/accounts/export.csv', {
    schema: { response: { ...authErrors } },
  }, async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="accounts.csv"')
    .send(await exportAccounts(deps, apiActor(req))));

  api.patch<{ Params: { id: number }; Body: ProfileBody }>('/accounts/:id', {
    schema: { ...idRoute, body: accountPatchBody, response: { 200: accountUpdated, ...writeErrors } },
  }, async (req, reply) => {
    const r = await updateAccount(deps, apiActor(req), req.params.id, toInput(req.body), clientIp(req));
    return r.ok ? r.value : refused(req, reply, r);
  });

  api.post<{ Params: { id: number }; Body: { state: 'enabled' | 'disabled' } }>('/accounts/:id/state', {
    schema: { ...idRoute, body: stateBody, response: { 200: stateResult, ...writeErrors } },
  }, async (req, reply) => outcome(req, reply, await setAccountState(deps, apiActor(req), req.params.id, req.body.state, clientIp(req))));

  api.post('/accounts/:id/unlock', {
    schema: { ...idRoute, response: { 200: unlockResult, ...writeErrors } },
  }, async (req: IdReq, reply) => outcome(req, reply, await unlockAccount(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/reset-password', {
    schema: { ...idRoute, response: { 200: issuedResult, ...writeErrors } },
  }, async (req: IdReq, reply) => outcome(req, reply, await resetToInitialPassword(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/one-day-password', {
    schema: { ...idRoute, response: { 200: issuedResult, ...writeErrors } },
  }, async (req: IdReq, reply) => outcome(req, reply, await enableOneDayPassword(deps, apiActor(req), req.params.id, clientIp(req))));

  api.post('/accounts/:id/resend-mail', {
    schema: { ...idRoute, response: { 200: resendResult, ...writeErrors } },
  }, async (req: IdReq, reply) => outcome(req, reply, await resendVerificationMail(deps, apiActor(req), req.params.id, clientIp(req), req.ctx.lang)));

  api.post<{ Body: { ids: number[]; confirm: true } }>('/accounts/delete', {
    schema: { body: deleteBody, response: { 200: deleteResult, ...writeErrors } },
  }, async (req, reply) => outcome(req, reply, await deleteAccounts(deps, apiActor(req), req.body.ids, clientIp(req))));

  api.get('/accounts/:id/roles', {
    schema: { ...idRoute, response: { 200: roleChoiceList, ...authErrors } },
  }, async (req: IdReq) => {
    const r = await roleChoices(deps, apiActor(req), req.params.id);
    return { grantable: r.grantable, otherHeld: r.otherHeld };
  });

  api.put<{ Params: { id: number }; Body: { roles: string[] } }>('/accounts/:id/roles', {
    schema: { ...idRoute, body: rolesBody, response: { 200: rolesResult, ...writeErrors } },
  }, async (req) => setRoles(deps, apiActor(req), req.params.id, req.body.roles, clientIp(req)));

  api.get<{ Params: { code: string } }>('/systems/:code/admins', {
    schema: { params: systemCodeParams, response: { 200: systemAdminList, ...authErrors } },
  }, async (req) => {
    const r = await systemAdministrators(deps, apiActor(req), req.params.code);
    return { system: r.system, items: r.admins };
  });
}
