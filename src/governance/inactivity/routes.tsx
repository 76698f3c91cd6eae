// Inactive accounts (GOV-2): the page /admin/inactivity, its CSV export, and GET /api/v1/inactivity,
// each limited to the caller's account.view scope (`scopeFor`, authorize.ts's set form) applied in SQL. HTTP only:
// declared contracts, one service call, the answer.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page } from '../../platform/http/pages.ts';
import { toCsv } from '../../platform/csv.ts';
import { loadActor, requireSession } from '../../access/actor.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { READ_ERRORS } from '../../admin/api-schemas.ts';
import { typed, Type, Closed, Field, Query, PAGE, Oid, PageNo, DateTime, OneOf, OrNull, Text, Id } from '../../platform/http/contract.ts';
import { INACTIVITY_CSV_COLUMNS, INACTIVITY_PAGE_SIZE, csvRows, inactiveAccounts } from './service.ts';
import { InactivityPage, type InactivityView } from './page.tsx';

const USES = ['never', 'used'] as const;
const pageQuery = Query({ unit: Field(200), used: Field(10), page: Field(10) });
const usedOf = (s: string | undefined) => (USES as readonly string[]).includes(s ?? '') ? s as (typeof USES)[number] : undefined;
/** The export holds at most this many rows (a jurisdiction with more is filtered by unit). */
const CSV_MAX = 100_000;

const apiQuery = Closed({
  unit: Type.Optional(Oid({ description: 'Unit OID: accounts in this unit and below it' })),
  used: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('used')], { description: '`never`: never signed in; `used`: signed in before' })),
  page: PageNo(),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});
const apiItem = Type.Object({
  id: Id(), username: Text(100), name: Text(200), unitOid: Text(200), unitName: OrNull(Text(200)),
  state: OneOf(['enabled', 'not_activated']),
  lastSignInAt: OrNull(DateTime(), { description: 'The latest sign-in by password, certificate or passkey; null: never used' }),
  neverUsed: Type.Boolean(),
  basisAt: DateTime({ description: 'What inactivity counts from: the last sign-in, else activation, else creation' }),
  inactiveSince: DateTime({ description: 'basisAt plus the policy\'s inactivity.days' }),
  days: Type.Integer({ minimum: 1, maximum: 3650, description: 'The policy\'s inactivity.days for the account\'s unit' }),
  autoDisable: Type.Boolean({ description: 'The policy disables the account automatically (inactivity.autoDisable)' }),
});
const apiList = Type.Object({
  total: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }), page: Type.Integer({ minimum: 1, maximum: 100_000 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100 }), items: Type.Array(apiItem, { maxItems: 100 }),
}, { description: 'Inactive and never-used accounts inside the caller\'s jurisdiction, longest unused first' });

export function inactivityRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);

  app.get('/admin/inactivity', { schema: { querystring: pageQuery, response: PAGE } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId); // the service answers "not found" to a caller who may view no account
    const unit = (req.query.unit ?? '').trim();
    const used = usedOf(req.query.used);
    const query = { unit, used: used ?? '' };
    if (unit && !isValidOid(unit)) {
      const v: InactivityView = { query, unitError: 'inactivity.badUnit' };
      return page(req, reply, (ctx) => <InactivityPage ctx={ctx} v={v} />, 400);
    }
    const pageNo = Math.min(100_000, Math.max(1, Number.parseInt(req.query.page ?? '1', 10) || 1));
    const r = await inactiveAccounts(deps, actor, { unit: unit || undefined, used, page: pageNo, pageSize: INACTIVITY_PAGE_SIZE });
    const v: InactivityView = { query, result: { total: r.total, page: pageNo, pageSize: INACTIVITY_PAGE_SIZE, items: r.items } };
    return page(req, reply, (ctx) => <InactivityPage ctx={ctx} v={v} />);
  });

  app.get('/admin/inactivity/export.csv', {
    schema: { querystring: pageQuery, response: { ...PAGE, 200: Type.String({ description: 'The inactive accounts of the filter as CSV (text/csv)' }) } },
  }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId); // the service answers "not found" to a caller who may view no account
    const unit = (req.query.unit ?? '').trim();
    const r = await inactiveAccounts(deps, actor, { unit: unit && isValidOid(unit) ? unit : undefined, used: usedOf(req.query.used), page: 1, pageSize: CSV_MAX });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="inactive-accounts.csv"')
      .send(toCsv(csvRows(r.items), INACTIVITY_CSV_COLUMNS));
  });

  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    typed(api).get('/inactivity', {
      schema: { summary: 'Inactive and never-used accounts inside the caller\'s jurisdiction (GOV-2)', querystring: apiQuery, response: { 200: apiList, ...READ_ERRORS } },
    }, async (req, reply) => {
      const { unit, used, page: pageNo, pageSize } = req.query;
      if (unit !== undefined && !isValidOid(unit)) {
        return reply.status(400).send({ error: 'error.badRequest', message: req.ctx.t('inactivity.badUnit'), fields: ['querystring.unit'] });
      }
      const r = await inactiveAccounts(deps, apiActor(req), { unit, used, page: pageNo, pageSize });
      return { total: r.total, page: pageNo, pageSize, items: r.items };
    });
  }, { prefix: API_PREFIX });
}
