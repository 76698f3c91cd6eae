// JSON API of account-review campaigns (GOV-3, GOV-4): definitions, "start now", a run's progress
// and items (the caller's jurisdiction, in SQL), decisions one by one or by filter, the sign-off
// by password and the stored report. HTTP only: declared contracts, one service call, the answer.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { clientIp } from '../../platform/http/pages.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { READ_ERRORS, apiError } from '../../admin/api-schemas.ts';
import { typed, Type, Closed, NoQuery, NoBody, Oid, PageNo, DateTime, OneOf, OrNull, Text, Id } from '../../platform/http/contract.ts';
import { DECISIONS, DEFAULT_ACTIONS, RECURRENCES } from './rules.ts';
import { campaignsOf, defineCampaign, startNow } from './definitions.ts';
import { decide, reviewItems, runFor } from './review.ts';
import { campaignPdf, campaignReport, certificateSignText, signOff, signOffByCertificate } from './signoff.ts';
import { progress } from './store.ts';

const ERRORS = {
  ...READ_ERRORS,
  403: apiError('The caller\'s jurisdiction covers only part of the review scope (sign-off)'),
  409: apiError('The review is signed off: decisions are frozen; or it has no report yet'),
  422: apiError('Refused: a reason is needed to keep an inactive account, the password is wrong, or the definition is invalid'),
} as const;

const enumOf = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const idParams = Closed({ id: Id() });
const Days = (description: string) => Type.Integer({ minimum: 1, maximum: 3650, description });

const definitionBody = Closed({
  name: Text(200, { minLength: 1 }),
  scopeOid: Oid({ description: 'The unit OID whose subtree is reviewed; inside the caller\'s jurisdiction' }),
  systemCode: Type.Optional(Text(60, { description: 'Only accounts holding a role of this application system' })),
  inactiveDays: Type.Optional(Days('Only accounts inactive for at least this many days')),
  recurrence: enumOf(RECURRENCES, 'quarterly, half_yearly or one_off'),
  deadlineDays: Type.Integer({ minimum: 1, maximum: 365, description: 'Days from a run\'s start to its review deadline' }),
  defaultAction: enumOf(DEFAULT_ACTIONS, 'What unanswered items become at sign-off: no_change, disable, or the recommendation'),
  attestation: Type.Optional(Type.Boolean({ description: 'Ask every account holder in scope to confirm their own account, unit and roles (seed 002, D-06-20)' })),
});
const definition = Type.Object({
  id: Id(), name: Text(200), scopeOid: Text(200), scopeName: OrNull(Text(200)), systemCode: OrNull(Text(60)), inactiveDays: OrNull(Type.Integer()),
  recurrence: OneOf(RECURRENCES), deadlineDays: Type.Integer(), defaultAction: OneOf(DEFAULT_ACTIONS), nextRunAt: OrNull(DateTime()), attestation: Type.Boolean(),
});
const run = Type.Object({
  id: Id(), definitionId: Id(), name: Text(200), scopeOid: Text(200), state: OneOf(['open', 'signed', 'executed']),
  startedAt: DateTime(), deadlineAt: DateTime(), itemCount: Type.Integer({ minimum: 0 }),
  signedAt: OrNull(DateTime()), signMethod: OrNull(OneOf(['password', 'certificate'])), reportSha256: OrNull(Text(64)),
  reportPdfSha256: OrNull(Text(64)), formPdfSha256: OrNull(Text(64)),
  attestation: Type.Boolean({ description: 'Every holder in scope is asked to confirm their own account (seed 002)' }),
  execution: Type.Object({ done: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 0 }) }, { description: 'Items carried out after the sign-off / items of the run (OPS-7)' }),
});
const runWithProgress = Type.Object({ ...run.properties, progress: Type.Object({
  decided: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 0 }),
  confirmed: Type.Integer({ minimum: 0, description: 'Holders who confirmed their account' }), reported: Type.Integer({ minimum: 0, description: 'Holders who reported a problem' }),
}, { description: 'Inside the caller\'s jurisdiction' }) });

const executionProgress = Type.Object({ done: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 0 }) }, { description: 'Items carried out after the sign-off / items of the run (OPS-7)' });
const signOffResult = Type.Object({
  runId: Id(), state: OneOf(['open', 'signed', 'executed']),
  executed: Type.Record(Type.String({ maxLength: 40 }), Type.Integer({ minimum: 0 }), { description: 'Outcomes when carried out at once; empty while the campaigns.execute job goes on' }),
  reportSha256: OrNull(Text(64)), progress: executionProgress,
});
const pdfResponse = (what: string) => ({ 200: Type.Unsafe<Buffer>(Type.String({ description: `${what} (application/pdf); its SHA-256 is in the X-Report-SHA256 header and the audit trail` })), ...ERRORS });

const filterProps = {
  unit: Type.Optional(Oid({ description: 'Items of this unit and below it' })),
  recommendation: Type.Optional(enumOf(['keep', 'disable'], 'The recommendation computed from the last sign-in')),
  inactiveDays: Type.Optional(Days('Items whose last use lies at least this many days before the run\'s start')),
  undecided: Type.Optional(Type.Boolean({ description: 'Only items without a decision' })),
};
const itemsQuery = Closed({ ...filterProps, page: PageNo(), pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 50 }) });
const item = Type.Object({
  accountId: Id(), username: Text(100), name: Text(200), unitOid: Text(200), unitName: OrNull(Text(200)), state: Text(20),
  roles: Type.Array(Text(100)), grants: Type.Array(Text(300)),
  lastPasswordAt: OrNull(DateTime()), lastCertificateAt: OrNull(DateTime()), lastPasskeyAt: OrNull(DateTime()),
  inactive: Type.Boolean(), recommendation: OneOf(['keep', 'disable']),
  decision: OrNull(OneOf(DECISIONS)), decisionRole: OrNull(Text(100)), reason: OrNull(Text(1000)), decidedBy: OrNull(Text(200)), decidedAt: OrNull(DateTime()),
  outcome: OrNull(Text(200)),
  attestation: OrNull(OneOf(['confirmed', 'reported'])), attestationNote: OrNull(Text(1000)), attestedAt: OrNull(DateTime()),
});
const itemList = Type.Object({
  total: Type.Integer({ minimum: 0 }), page: Type.Integer({ minimum: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 100 }),
  progress: Type.Object({ decided: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 0 }) }),
  items: Type.Array(item, { maxItems: 100 }),
});
const decisionBody = Closed({
  decision: enumOf(DECISIONS, 'keep, disable, delete or remove_role'),
  role: Type.Optional(Text(100, { description: 'remove_role: the role\'s code' })),
  reason: Type.Optional(Text(1000, { description: 'Required to keep an inactive account' })),
  accountIds: Type.Optional(Type.Array(Id(), { minItems: 1, maxItems: 1000, description: 'These items; without it, every item the filter matches' })),
  filter: Type.Optional(Closed(filterProps)),
});

type Def = Awaited<ReturnType<typeof campaignsOf>>['definitions'][number];
type Run = Awaited<ReturnType<typeof campaignsOf>>['runs'][number];
const defJson = (d: Def) => ({
  id: d.id, name: d.name, scopeOid: d.scope_oid, scopeName: d.scope_name, systemCode: d.system_code, inactiveDays: d.inactive_days,
  recurrence: d.recurrence, deadlineDays: d.deadline_days, defaultAction: d.default_action, nextRunAt: d.next_run_at, attestation: d.attestation,
});
const runJson = (r: Run) => ({
  id: r.id, definitionId: r.definition_id, name: r.name, scopeOid: r.scope_oid, state: r.state, startedAt: r.started_at, deadlineAt: r.deadline_at,
  itemCount: r.item_count, signedAt: r.signed_at, signMethod: r.sign_method, reportSha256: r.report_sha256,
  reportPdfSha256: r.report_pdf_sha256, formPdfSha256: r.form_pdf_sha256, attestation: r.attestation, execution: { done: r.executed_items, total: r.item_count },
});

export function campaignApiRoutes(fastify: FastifyInstance, deps: Deps): void {
  fastify.register(async (plain) => {
    plain.decorateRequest('apiActor', null);
    plain.addHook('onRequest', bearerAuth(deps));
    const api = typed(plain);
    api.get('/campaigns', {
      schema: { summary: 'Account-review definitions and runs overlapping the caller\'s jurisdiction (GOV-3)', querystring: NoQuery(), response: { 200: Type.Object({ definitions: Type.Array(definition), runs: Type.Array(run) }), ...READ_ERRORS } },
    }, async (req) => {
      const r = await campaignsOf(deps, apiActor(req));
      return { definitions: r.definitions.map(defJson), runs: r.runs.map(runJson) };
    });
    api.post('/campaigns', {
      schema: { summary: 'Define an account review for a subtree of the caller\'s jurisdiction (GOV-3)', body: definitionBody, response: { 201: Type.Object({ id: Id() }), ...ERRORS } },
    }, async (req, reply) => {
      const id = await defineCampaign(deps, apiActor(req), req.body, clientIp(req));
      return reply.status(201).send({ id });
    });
    api.post('/campaigns/:id/runs', {
      schema: { summary: 'Start a review of the definition now (GOV-3)', params: idParams, body: NoBody(), response: { 201: Type.Object({ runId: Id(), items: Type.Integer({ minimum: 0 }) }), ...ERRORS } },
    }, async (req, reply) => reply.status(201).send(await startNow(deps, apiActor(req), req.params.id, clientIp(req))));
    api.get('/campaigns/runs/:id', {
      schema: { summary: 'A review run and its progress inside the caller\'s jurisdiction (GOV-3)', params: idParams, querystring: NoQuery(), response: { 200: runWithProgress, ...READ_ERRORS } },
    }, async (req) => {
      const { run: r, scope } = await runFor(deps, apiActor(req), req.params.id);
      return { ...runJson({ ...r, scope_name: r.scope_name }), progress: await progress(deps.db, r.id, scope) };
    });
    api.get('/campaigns/runs/:id/items', {
      schema: { summary: 'The run\'s items inside the caller\'s jurisdiction, filtered (GOV-3)', params: idParams, querystring: itemsQuery, response: { 200: itemList, ...READ_ERRORS } },
    }, async (req) => {
      const { page, pageSize, ...f } = req.query;
      const r = await reviewItems(deps, apiActor(req), req.params.id, f, page, pageSize);
      return {
        total: r.total, page, pageSize, progress: r.progress,
        items: r.items.map((i) => ({
          accountId: i.account_id, username: i.username, name: i.name, unitOid: i.unit_oid, unitName: i.unit_name, state: i.state, roles: i.roles, grants: i.grants,
          lastPasswordAt: i.last_password_at, lastCertificateAt: i.last_certificate_at, lastPasskeyAt: i.last_passkey_at, inactive: i.inactive,
          recommendation: i.recommendation, decision: i.decision, decisionRole: i.decision_role, reason: i.reason, decidedBy: i.decider_name, decidedAt: i.decided_at, outcome: i.outcome,
          attestation: i.attestation, attestationNote: i.attestation_note, attestedAt: i.attested_at,
        })),
      };
    });
    api.post('/campaigns/runs/:id/decisions', {
      schema: { summary: 'Decide items one by one (accountIds) or every item a filter matches (GOV-3)', params: idParams, body: decisionBody, response: { 200: Type.Object({ decided: Type.Integer({ minimum: 0 }) }), ...ERRORS } },
    }, async (req) => ({ decided: await decide(deps, apiActor(req), req.params.id, req.body, clientIp(req)) }));
    api.post('/campaigns/runs/:id/sign-off', {
      schema: {
        summary: 'Sign off (確認簽名) with the caller\'s password: freezes the decisions and carries them out (GOV-3, GOV-4)', params: idParams,
        body: Closed({ password: Text(200, { description: 'The signer\'s current password' }) }),
        response: { 200: signOffResult, ...ERRORS },
      },
    }, async (req) => signOff(deps, apiActor(req), req.params.id, req.body.password, clientIp(req)));
    api.get('/campaigns/runs/:id/sign-off/certificate', {
      schema: {
        summary: 'The text the signer\'s citizen certificate signs to sign off: this site, the run and the SHA-256 of its decisions now (GOV-3, AUTH-8)', params: idParams, querystring: NoQuery(),
        response: { 200: Type.Object({ tbs: Text(300), decisionsSha256: Text(64) }), ...ERRORS },
      },
    }, async (req) => certificateSignText(deps, apiActor(req), req.params.id));
    api.post('/campaigns/runs/:id/sign-off/certificate', {
      schema: {
        summary: 'Sign off (確認簽名) with the citizen certificate: a CMS (PKCS#7) or PKCS#1 signature over the sign-off text by a card registered to the caller (GOV-3, AUTH-8)', params: idParams,
        body: Closed({
          tbs: Text(300, { description: 'The text signed (from GET …/sign-off/certificate)' }),
          format: OneOf(['pkcs7', 'pkcs1'], { description: 'CMS SignedData (PKCS#7) or a PKCS#1 signature' }),
          signature: Text(40_000, { pattern: '^[A-Za-z0-9+/=\\s]*$' }),
          certificate: Type.Optional(Text(20_000, { pattern: '^[A-Za-z0-9+/=\\s]*$', description: 'PKCS#1: the signer\'s certificate (Base64 DER)' })),
        }),
        response: { 200: signOffResult, ...ERRORS },
      },
    }, async (req) => signOffByCertificate(deps, apiActor(req), req.params.id, { ...req.body, format: req.body.format === 'pkcs1' ? 'pkcs1' : 'pkcs7' }, clientIp(req)));
    for (const which of ['report', 'form'] as const) {
      api.get(`/campaigns/runs/:id/${which}.pdf`, {
        schema: { summary: which === 'report' ? 'The signed review report as a PDF in Traditional Chinese (GOV-4)' : 'The D-06-20 account review form with the attestations and the signature block (GOV-4)', params: idParams, querystring: NoQuery(), response: pdfResponse(which === 'report' ? 'The report' : 'The D-06-20 form') },
      }, async (req, reply) => {
        const r = await campaignPdf(deps, apiActor(req), req.params.id, which);
        return reply.type('application/pdf').header('x-report-sha256', r.sha256)
          .header('content-disposition', `attachment; filename="account-review-${req.params.id}-${which === 'report' ? 'report' : 'D-06-20'}.pdf"`).send(r.pdf);
      });
    }
    api.get('/campaigns/runs/:id/report.csv', {
      schema: { summary: 'The stored review report as CSV; its SHA-256 is in the X-Report-SHA256 header and the audit trail (GOV-4)', params: idParams, querystring: NoQuery(), response: { 200: Type.String({ description: 'text/csv' }), ...ERRORS } },
    }, async (req, reply) => {
      const r = await campaignReport(deps, apiActor(req), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('x-report-sha256', r.sha256)
        .header('content-disposition', `attachment; filename="account-review-${req.params.id}.csv"`).send(r.csv);
    });
  }, { prefix: API_PREFIX });
}
