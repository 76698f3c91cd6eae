// HTTP of the administrators' dashboard (OPS-7): the page /admin/dashboard and GET
// /api/v1/dashboard, both for the caller's account.view jurisdiction.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page } from '../../platform/http/pages.ts';
import { loadActor, requireSession } from '../../access/actor.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { READ_ERRORS } from '../../admin/api-schemas.ts';
import { typed, Type, NoQuery, PAGE, OrNull, Text, DateTime } from '../../platform/http/contract.ts';
import { dashboard, SIGN_IN_DAYS } from './service.ts';
import { DashboardPage } from './page.tsx';

const Count = () => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const perDay = Type.Array(Count(), { minItems: SIGN_IN_DAYS, maxItems: SIGN_IN_DAYS });
const apiDashboard = Type.Object({
  accountsByState: Type.Array(Type.Object({ state: Text(20), n: Count() }), { maxItems: 10 }),
  signIns: Type.Object({
    days: Type.Array(Text(10, { description: 'YYYY-MM-DD, Asia/Taipei' }), { maxItems: SIGN_IN_DAYS }),
    byMethod: Type.Object({ password: perDay, certificate: perDay, passkey: perDay }),
  }, { description: 'Successful sign-ins per day of accounts in the jurisdiction, oldest day first' }),
  pendingByAge: Type.Object({ lt1: Count(), '1to3': Count(), '3to7': Count(), gt7: Count() }, { description: 'Pending requests by days waiting' }),
  inactiveByUnit: Type.Array(Type.Object({ unitOid: Text(200), unitName: OrNull(Text(200)), n: Count() }), { maxItems: 10 }),
  reviewCompletion: Type.Array(Type.Object({ runId: Type.Integer({ minimum: 1 }), name: Text(200), deadlineAt: DateTime(), decided: Count(), total: Count() }),
    { maxItems: 10, description: 'Open account reviews, newest first: items decided of the items in the jurisdiction (GOV-3)' }),
}, { description: 'The dashboard of the caller\'s jurisdiction (OPS-7)' });

export function dashboardRoutes(fastify: FastifyInstance, deps: Deps): void {
  typed(fastify).get('/admin/dashboard', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await loadActor(deps, requireSession(req).accountId); // the service answers "not found" to a caller who may view no account
    const d = await dashboard(deps, actor);
    return page(req, reply, (ctx) => <DashboardPage ctx={ctx} d={d} />);
  });

  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    typed(api).get('/dashboard', {
      schema: { summary: 'Accounts by state, sign-ins per day, pending requests by age, inactive accounts by unit, in the caller\'s jurisdiction (OPS-7)', querystring: NoQuery(), response: { 200: apiDashboard, ...READ_ERRORS } },
    }, async (req) => dashboard(deps, apiActor(req)));
  }, { prefix: API_PREFIX });
}
