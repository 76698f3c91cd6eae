// INC-1..INC-5, INC-6: the incident JSON API under /api/v1/incidents, declared contracts, bearer
// tokens; each route calls one use case, which asks `authorize` and filters by jurisdiction in SQL.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { READ_ERRORS } from '../admin/api-schemas.ts';
import { typed, Type, Closed, Oid, Id, Text, DateTime, OrNull, PageNo, NoBody } from '../platform/http/contract.ts';
import { CONTACT_ROLES, INCIDENT_CATEGORIES, type IncidentCategory, type ReportInput } from './rules.ts';
import { backfill, createReport, dispatchSupport, incidentDetail, phoneReport, reReport, review, updateDraft } from './workflow.ts';
import { confirmContacts, contactsView, registerContact, setAuthority, unregisterContact } from './contacts.ts';
import { incidentList } from './list.ts';
import { Done, WRITE, answer, idParams } from './api-shared.ts';
import { closureApiRoutes } from './closure-api.ts';
import { statsApiRoutes } from './stats-routes.tsx';
import { drillApiRoutes } from './drill-routes.tsx';
import { profileApiRoutes } from './profile-routes.tsx';
import { CI_GROUPS, OPTIONAL_PROFILES } from './profile-rules.ts';

const Level = Type.Integer({ minimum: 1, maximum: 4 });
const When = () => Type.String({ format: 'date-time', maxLength: 40 });
const Bool = () => Type.Optional(Type.Boolean());
const reportFields = {
  title: Text(200), description: Type.Optional(Text(10_000)), awareAt: Type.Optional(When()), level: Type.Optional(Level),
  affectedSystems: Type.Optional(Type.Array(Closed({ code: Type.Optional(Text(100)), text: Type.Optional(Text(200)) }), { maxItems: 50 })),
  supportRequested: Bool(), otherAgenciesAffected: Bool(), criticalInfrastructure: Bool(),
  contactName: Type.Optional(Text(100)), contactPhone: Type.Optional(Text(50)), contactEmail: Type.Optional(Text(200)),
  category: Type.Optional(Type.Union(INCIDENT_CATEGORIES.map((c) => Type.Literal(c)), { description: 'The incident\'s type, for statistics' })),
  submit: Type.Optional(Type.Boolean({ description: 'true: submit now (records the aware and reported events); false or absent: save a draft' })),
  lateReason: Type.Optional(Text(2000, { description: 'Required when the report comes more than 1 hour after awareness' })),
};
const createBody = Closed({
  agencyOid: Oid({ description: 'The reporting agency: the caller must be its security contact' }), drill: Bool(),
  drillKind: Type.Optional(Type.Union([Type.Literal('notification'), Type.Literal('social_engineering')], { description: 'With drill: the kind of drill (INC-7)' })), ...reportFields,
  profiles: Type.Optional(Type.Array(Type.Union(OPTIONAL_PROFILES.map((p) => Type.Literal(p))), { maxItems: 5, description: 'Deadline profiles besides tw-cs, where the agency may choose them (INC-9); gdpr-art33 here means personal data is involved from the start' })),
  ciGroups: Type.Optional(Type.Array(Type.Union(CI_GROUPS.map((g) => Type.Literal(g))), { maxItems: 10, description: 'With criticalInfrastructure: the sectors affected, told through the horizontal notice (INC-2)' })),
});
const updateBody = Closed(reportFields);
const reviewBody = Closed({
  level: Type.Optional(Level), reason: Type.Optional(Text(2000, { description: 'Required when the level changes' })),
  lateReason: Type.Optional(Text(2000)), note: Type.Optional(Text(2000)),
});

const clockSchema = Type.Object({
  profileId: Text(100), ruleId: Text(100), label: Text(300), state: Text(20), anchorAt: DateTime(), dueAt: DateTime(), warnAt: DateTime(),
  metAt: OrNull(DateTime()), level: OrNull(Type.Integer({ minimum: 1, maximum: 4 })), responsible: Text(50), escalateTo: Type.Array(Text(50), { maxItems: 10 }),
  lateReason: OrNull(Text(2000)),
});
const eventSchema = Type.Object({
  kind: Text(50), at: DateTime(), recordedAt: DateTime(), actor: OrNull(Text(200)), level: OrNull(Type.Integer({ minimum: 1, maximum: 4 })), reason: OrNull(Text(2000)),
  met: Type.Array(Text(100), { maxItems: 20, description: 'The clocks (profile/rule) this event met or met late' }),
});
const incidentSchema = Type.Object({
  id: Id(), agencyOid: Text(200), agencyName: Text(200), authorityOid: OrNull(Text(200)), authorityName: OrNull(Text(200)),
  state: Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')]), level: OrNull(Type.Integer({ minimum: 1, maximum: 4 })),
  drill: Type.Boolean(), title: Text(200), description: Text(10_000), awareAt: OrNull(DateTime()), reportedAt: OrNull(DateTime()),
  backfillPending: Type.Boolean(), supportRequested: Type.Boolean(), otherAgenciesAffected: Type.Boolean(), criticalInfrastructure: Type.Boolean(),
  affectedSystems: Type.Array(Type.Object({ code: Type.Optional(Text(100)), text: Type.Optional(Text(200)) }), { maxItems: 50 }),
  contactName: Text(100), contactPhone: Text(50), contactEmail: Text(200), category: OrNull(Text(30)),
  drillKind: OrNull(Text(30)), criticalInfrastructureGroups: Type.Array(Text(30), { maxItems: 20 }), profiles: Type.Array(Text(40), { maxItems: 10 }),
  clocks: Type.Array(clockSchema, { maxItems: 100 }), events: Type.Array(eventSchema, { maxItems: 10_000 }),
});
const listSchema = Type.Object({
  total: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }), page: Type.Integer({ minimum: 1, maximum: 100_000 }),
  items: Type.Array(Type.Object({
    id: Id(), agencyOid: Text(200), agencyName: Text(200), state: Text(20), level: OrNull(Type.Integer({ minimum: 1, maximum: 4 })), drill: Type.Boolean(),
    title: Text(200), reportedAt: OrNull(DateTime()), nextDueAt: OrNull(DateTime()),
  }), { maxItems: 100 }),
});
const contactsSchema = Type.Object({
  agencyOid: Text(200), agencyName: Text(200), isCompetentAuthority: Type.Boolean(), authorityOid: OrNull(Text(200)),
  contacts: Type.Array(Type.Object({ username: Text(100), name: Text(200), role: Text(50), dedicated: Type.Boolean() }), { maxItems: 1000 }),
  missing: Type.Array(Type.Object({ role: Text(50), need: Type.Integer({ minimum: 0, maximum: 100 }), have: Type.Integer({ minimum: 0, maximum: 100 }) }), { maxItems: 10 }),
  noDedicatedSecurityContact: Type.Boolean(), confirmedAt: OrNull(DateTime()), confirmDueAt: OrNull(DateTime()), confirmOverdue: Type.Boolean(),
});

export const toInput = (b: Partial<Record<keyof typeof reportFields, unknown>> & { title: string }): ReportInput => ({
  title: b.title, description: (b.description as string) ?? '', awareAt: b.awareAt ? new Date(b.awareAt as string) : null,
  level: (b.level as number) ?? null, affectedSystems: (b.affectedSystems as ReportInput['affectedSystems']) ?? [],
  supportRequested: !!b.supportRequested, otherAgenciesAffected: !!b.otherAgenciesAffected, criticalInfrastructure: !!b.criticalInfrastructure,
  contactName: (b.contactName as string) ?? '', contactPhone: (b.contactPhone as string) ?? '', contactEmail: (b.contactEmail as string) ?? '',
  ...(b.category !== undefined ? { category: b.category as IncidentCategory } : {}),
});

export function incidentApiRoutes(fastify: FastifyInstance, deps: Deps): void {
  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    const app = typed(api);
    const ip = (req: { ip: string }) => req.ip;

    app.get('/incidents', {
      schema: { summary: 'Incidents the caller may see (INC-8): own agency, supervised, all for the technical centre', querystring: Closed({ page: PageNo() }), response: { 200: listSchema, ...READ_ERRORS } },
    }, async (req) => {
      const r = await incidentList(deps, apiActor(req), req.query.page);
      return { total: r.total, page: req.query.page, items: r.rows.map((i) => ({ id: Number(i.id), agencyOid: i.org_oid, agencyName: i.org_name, state: i.state, level: i.level, drill: i.drill, title: i.title, reportedAt: i.reported_at, nextDueAt: i.next_due_at })) };
    });

    app.post('/incidents', {
      schema: { summary: 'Save a draft report or submit it (INC-2)', body: createBody, response: { 201: Type.Object({ id: Id() }), ...WRITE } },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      const id = await createReport(deps, apiActor(req), { agencyOid: req.body.agencyOid, input: toInput(req.body), submit: !!req.body.submit, drill: req.body.drill, drillKind: req.body.drillKind, profiles: req.body.profiles, ciGroups: req.body.ciGroups, lateReason: req.body.lateReason, ip: ip(req) });
      return reply.status(201).send({ id });
    }));

    app.get('/incidents/:id', {
      schema: { summary: 'One incident with its clocks and timeline (INC-6)', params: idParams, querystring: Closed({}), response: { 200: incidentSchema, ...READ_ERRORS } },
    }, async (req) => {
      const d = await incidentDetail(deps, apiActor(req), req.params.id);
      const i = d.incident;
      return {
        id: Number(i.id), agencyOid: i.org_oid, agencyName: i.org_name, authorityOid: i.authority_oid, authorityName: i.authority_name, state: i.state, level: i.level,
        drill: i.drill, title: i.title, description: i.description, awareAt: i.aware_at, reportedAt: i.reported_at, backfillPending: i.backfill_pending,
        supportRequested: i.support_requested, otherAgenciesAffected: i.other_agencies_affected, criticalInfrastructure: i.critical_infrastructure,
        affectedSystems: i.affected_systems, contactName: i.contact_name, contactPhone: i.contact_phone, contactEmail: i.contact_email,
        category: i.category, drillKind: i.drill_kind, criticalInfrastructureGroups: i.ci_groups, profiles: i.profile_ids,
        clocks: d.clocks.map((c) => ({ ...c, label: c.label[req.ctx.lang === 'en' ? 'en' : 'zh-TW'], lateReason: c.lateReason ?? null })),
        events: d.events.map((e) => ({
          kind: e.kind, at: e.at, recordedAt: e.recorded_at, actor: e.actor_name, level: e.level, reason: e.reason,
          met: d.clocks.filter((c) => c.metAt?.getTime() === e.at.getTime() && c.metByKind === e.kind).map((c) => `${c.profileId}/${c.ruleId}`),
        })),
      };
    });

    app.patch('/incidents/:id', {
      schema: { summary: 'Change a draft, and submit it with `submit: true` (INC-2)', params: idParams, body: updateBody, response: { 200: Done, ...WRITE } },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      await updateDraft(deps, apiActor(req), req.params.id, { input: toInput(req.body), submit: !!req.body.submit, lateReason: req.body.lateReason, ip: ip(req) });
      return { ok: true as const };
    }));

    const step = (path: string, summary: string, run: (req: { params: { id: number }; body: { level?: number; reason?: string; lateReason?: string; note?: string }; ip: string; apiActor: unknown }) => Promise<void>) =>
      app.post(path, { schema: { summary, params: idParams, body: reviewBody, response: { 200: Done, ...WRITE } } },
        async (req, reply) => answer(reply, req.ctx.t, async () => { await run(req as never); return { ok: true as const }; }));
    step('/incidents/:id/review', 'Competent authority review; may change the level with a reason (INC-3)',
      (req) => review(deps, apiActor(req as never), req.params.id, 'reviewed', { ...req.body, ip: req.ip }));
    step('/incidents/:id/centre-review', 'Technical centre re-review; may change the level (INC-3)',
      (req) => review(deps, apiActor(req as never), req.params.id, 'centre_reviewed', { ...req.body, ip: req.ip }));
    step('/incidents/:id/direct-review', 'Technical centre review once the competent authority missed its deadline (INC-3)',
      (req) => review(deps, apiActor(req as never), req.params.id, 'centre_direct_review', { ...req.body, ip: req.ip }));
    step('/incidents/:id/support', 'Requested support dispatched, with who and when (INC-4)',
      (req) => dispatchSupport(deps, apiActor(req as never), req.params.id, { note: req.body.note ?? '', lateReason: req.body.lateReason, ip: req.ip }));
    step('/incidents/:id/level', 'Level change by the agency: a re-report with history (INC-2)',
      (req) => reReport(deps, apiActor(req as never), req.params.id, { level: req.body.level ?? 0, reason: req.body.reason ?? '', ip: req.ip }));

    app.post('/incidents/:id/backfill', {
      schema: { summary: 'The agency back-fills a phone report (INC-2); the phone time is kept', params: idParams, body: updateBody, response: { 200: Done, ...WRITE } },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      await backfill(deps, apiActor(req), req.params.id, toInput(req.body), ip(req), req.body.lateReason);
      return { ok: true as const };
    }));

    app.post('/incidents/phone', {
      schema: {
        summary: 'The technical centre records a report made by phone (INC-2)',
        body: Closed({ agencyOid: Oid(), title: Text(200), level: Level, awareAt: When(), phoneAt: When(), description: Type.Optional(Text(10_000)) }),
        response: { 201: Type.Object({ id: Id() }), ...WRITE },
      },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      const b = req.body;
      const id = await phoneReport(deps, apiActor(req), { agencyOid: b.agencyOid, title: b.title, level: b.level, awareAt: new Date(b.awareAt), phoneAt: new Date(b.phoneAt), description: b.description ?? '', ip: ip(req) });
      return reply.status(201).send({ id });
    }));

    closureApiRoutes(api, deps);
    statsApiRoutes(api, deps);
    drillApiRoutes(api, deps);
    profileApiRoutes(api, deps);

    app.get('/incidents/contacts/:oid', {
      schema: { summary: 'An agency\'s contacts registry with missing minimums (INC-1)', params: Closed({ oid: Oid() }), querystring: Closed({}), response: { 200: contactsSchema, ...READ_ERRORS } },
    }, async (req) => {
      const v = await contactsView(deps, apiActor(req), req.params.oid);
      return {
        agencyOid: v.agency.oid, agencyName: v.agency.name, isCompetentAuthority: v.isAuthority, authorityOid: v.authority?.oid ?? null,
        contacts: v.contacts.map((c) => ({ username: c.username, name: c.name, role: c.role, dedicated: c.dedicated })), missing: v.missing,
        noDedicatedSecurityContact: v.noDedicated, confirmedAt: v.confirmedAt, confirmDueAt: v.confirmDueAt, confirmOverdue: v.confirmOverdue,
      };
    });
    app.post('/incidents/contacts/:oid', {
      schema: {
        summary: 'Register an account of the agency as a contact (INC-1)', params: Closed({ oid: Oid() }),
        body: Closed({ username: Text(100), role: Type.Union(CONTACT_ROLES.map((r) => Type.Literal(r))), dedicated: Bool() }), response: { 200: Done, ...WRITE },
      },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      await registerContact(deps, apiActor(req), req.params.oid, { username: req.body.username, role: req.body.role, dedicated: !!req.body.dedicated }, ip(req));
      return { ok: true as const };
    }));
    app.delete('/incidents/contacts/:oid/:accountId/:role', {
      schema: { summary: 'Remove a contact (INC-1)', params: Closed({ oid: Oid(), accountId: Id(), role: Type.Union(CONTACT_ROLES.map((r) => Type.Literal(r))) }), body: NoBody(), response: { 200: Done, ...WRITE } },
    }, async (req) => {
      await unregisterContact(deps, apiActor(req), req.params.oid, req.params.accountId, req.params.role, ip(req));
      return { ok: true as const };
    });
    app.post('/incidents/contacts/:oid/confirm', {
      schema: { summary: 'Confirm the agency\'s contacts are up to date (INC-1)', params: Closed({ oid: Oid() }), body: Closed({ confirm: Type.Literal(true) }), response: { 200: Done, ...WRITE } },
    }, async (req) => {
      await confirmContacts(deps, apiActor(req), req.params.oid, ip(req));
      return { ok: true as const };
    });
    app.put('/incidents/authorities/:oid', {
      schema: {
        summary: 'Mark a competent authority, or name an agency\'s explicit one (INC-8; central authority only)', params: Closed({ oid: Oid() }),
        body: Closed({ isCompetentAuthority: Type.Boolean(), competentAuthorityOid: OrNull(Oid()) }), response: { 200: Done, ...WRITE },
      },
    }, async (req, reply) => answer(reply, req.ctx.t, async () => {
      await setAuthority(deps, apiActor(req), req.params.oid, { isCompetentAuthority: req.body.isCompetentAuthority, explicitAuthority: req.body.competentAuthorityOid }, ip(req));
      return { ok: true as const };
    }));
  }, { prefix: API_PREFIX });
}
