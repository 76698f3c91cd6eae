// INC-1, INC-2, INC-3, INC-6: the incident pages (HTTP only): list, report form, the incident with
// its timers and timeline and the review forms, the contacts registry. Forms carry the CSRF token
// and work without JavaScript; refusals come back as the page with a localised message (4xx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { typed, Type, Closed, Query, Field, FieldList, FormBody, FORM_PAGE, PAGE, Id, PageNo } from '../platform/http/contract.ts';
import { loadActor, requireSession } from '../access/actor.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { isValidOid } from '../orgs/oid.ts';
import { notFound } from '../platform/http/errors.ts';
import { CONTACT_ROLES, isCategory, parseTaipeiTime, type ContactRole, type ReportInput } from './rules.ts';
import { IncidentError } from './errors.ts';
import { backfill, createReport, phoneReport, updateDraft, submitDraft, dispatchSupport, incidentDetail, reReport, review } from './workflow.ts';
import { authorityForm, confirmContacts, contactsView, registerContact, setAuthority } from './contacts.ts';
import { incidentList, reportChoices } from './list.ts';
import { closureMay } from './closure.ts';
import { closurePageRoutes, type ClosureFormInput } from './closure-pages.tsx';
import { statsPageRoutes } from './stats-routes.tsx';
import { drillPageRoutes } from './drill-routes.tsx';
import { drillMay } from './drills.ts';
import { profilePageRoutes } from './profile-routes.tsx';
import { profileChoice } from './profiles.ts';
import { PhoneFormPage, emptyPhone, type PhoneForm } from './phone-views.tsx';
import { ContactsPage, IncidentListPage, IncidentPage, ReportFormPage, emptyReport, type ReportForm } from './views.tsx';

const taipeiText = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const actorOf = (deps: Deps, req: FastifyRequest) => loadActor(deps, requireSession(req).accountId);
const reportBody = FormBody({
  agencyOid: Field(200), title: Field(200), description: Field(10_000), awareAt: Field(40), level: Field(5), systems: FieldList(100, 100),
  systemsOther: Field(2000), supportRequested: Field(5), otherAgenciesAffected: Field(5), criticalInfrastructure: Field(5),
  contactName: Field(100), contactPhone: Field(50), contactEmail: Field(200), lateReason: Field(2000), do: Field(10),
  category: Field(30), drill: Field(5), drillKind: Field(30), ciGroups: FieldList(10, 40), profiles: FieldList(5, 40),
});
const stepBody = FormBody({ level: Field(5), reason: Field(2000), note: Field(2000), lateReason: Field(2000) });
const STEPS = ['submit', 'review', 'centre-review', 'direct-review', 'support', 'level'] as const;

function formOf(b: Record<string, string | string[] | undefined>): ReportForm {
  const s = (k: string) => (typeof b[k] === 'string' ? b[k] as string : '');
  return {
    agencyOid: s('agencyOid'), title: s('title'), description: s('description'), awareAt: s('awareAt'), level: s('level'),
    systems: (b.systems as string[] | undefined) ?? [], systemsOther: s('systemsOther'), supportRequested: s('supportRequested') === '1',
    otherAgenciesAffected: s('otherAgenciesAffected') === '1', criticalInfrastructure: s('criticalInfrastructure') === '1',
    contactName: s('contactName'), contactPhone: s('contactPhone'), contactEmail: s('contactEmail'), lateReason: s('lateReason'),
    category: s('category'), drill: s('drill') === '1', drillKind: s('drillKind') === 'social_engineering' ? 'social_engineering' : 'notification',
    ciGroups: (b.ciGroups as string[] | undefined) ?? [], profiles: (b.profiles as string[] | undefined) ?? [],
  };
}

/** The form as the rules read it; a time or level that does not parse is reported on its field. */
function inputOf(f: ReportForm): { input: ReportInput; bad: Partial<Record<'awareAt' | 'level', 'invalid'>> } {
  const awareAt = f.awareAt.trim() ? parseTaipeiTime(f.awareAt) : null;
  const level = f.level ? Number(f.level) : null;
  const bad: Partial<Record<'awareAt' | 'level', 'invalid'>> = {};
  if (f.awareAt.trim() && !awareAt) bad.awareAt = 'invalid';
  if (level !== null && ![1, 2, 3, 4].includes(level)) bad.level = 'invalid';
  return {
    bad,
    input: {
      title: f.title, description: f.description, awareAt, level: bad.level ? null : level,
      affectedSystems: [...f.systems.map((code) => ({ code })), ...f.systemsOther.split('\n').map((x) => x.trim()).filter(Boolean).slice(0, 20).map((text) => ({ text: text.slice(0, 200) }))],
      supportRequested: f.supportRequested, otherAgenciesAffected: f.otherAgenciesAffected, criticalInfrastructure: f.criticalInfrastructure,
      contactName: f.contactName, contactPhone: f.contactPhone, contactEmail: f.contactEmail,
      category: isCategory(f.category) ? f.category : null,
    },
  };
}

async function showIncident(deps: Deps, req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, status = 200, message?: IncidentError, form?: ClosureFormInput) {
  const d = await incidentDetail(deps, actor, id);
  const done = (req.query as { done?: string }).done === '1';
  const closure = closureMay(actor, d.incident, d.events);
  const drill = drillMay(actor, d.incident, d.events);
  const profiles = await profileChoice(deps, actor, d.incident, d.events);
  const closureForm = form && { kind: form.kind, values: form.values, errors: Object.fromEntries(Object.entries(message?.fields ?? {}).map(([k, p]) => [k, req.ctx.t(`incidents.problem.${p}`)])) };
  return page(req, reply, (ctx) => <IncidentPage ctx={ctx} d={d} now={deps.clock.now()} message={message?.messageKey} done={done && !message} closure={closure} closureForm={closureForm} drill={drill} profiles={profiles} />, status);
}

export function incidentPageRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);

  app.get('/incidents', { schema: { querystring: Query({ page: Type.Optional(PageNo()) }), response: PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const r = await incidentList(deps, actor, req.query.page ?? 1);
    const canReport = (actor.incidentRoles ?? []).some((x) => x.role === 'security_contact');
    return page(req, reply, (ctx) => <IncidentListPage ctx={ctx} rows={r.rows} total={r.total} canReport={canReport} canPhone={authorize(actor, 'incident.centre')} />);
  });

  app.get('/incidents/new', { schema: { querystring: Query({}), response: PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const c = await reportChoices(deps, actor, req.ctx.lang === 'en' ? 'en' : 'zh-TW');
    if (c.agencies.length === 0) throw notFound();
    return page(req, reply, (ctx) => <ReportFormPage ctx={ctx} f={emptyReport(c.agencies[0].oid)} agencies={c.agencies} systems={c.systems} action="/incidents/new" errors={{}} />);
  });

  app.post('/incidents/new', { schema: { body: reportBody, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const c = await reportChoices(deps, actor, req.ctx.lang === 'en' ? 'en' : 'zh-TW');
    const f = formOf(req.body as Record<string, string>);
    if (!c.agencies.some((a) => a.oid === f.agencyOid)) throw notFound();
    const { input, bad } = inputOf(f);
    const again = (e: IncidentError) => page(req, reply, (ctx) => (
      <ReportFormPage ctx={ctx} f={f} agencies={c.agencies} systems={c.systems} action="/incidents/new" errors={e.fields} message={e.messageKey} />), e.status);
    if (Object.keys(bad).length) return again(new IncidentError(422, 'incidents.report.invalid', bad));
    try {
      const id = await createReport(deps, actor, { agencyOid: f.agencyOid, input, submit: req.body.do === 'submit', drill: f.drill, drillKind: f.drillKind as 'notification', profiles: f.profiles, ciGroups: f.ciGroups, lateReason: f.lateReason, ip: clientIp(req) });
      return reply.redirect(`/incidents/${id}?done=1`, 303);
    } catch (e) {
      if (e instanceof IncidentError) return again(e);
      throw e;
    }
  });

  // INC-2: the technical centre records a report made by phone.
  app.get('/incidents/phone', { schema: { querystring: Query({}), response: PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    if (!authorize(actor, 'incident.centre')) throw notFound();
    return page(req, reply, (ctx) => <PhoneFormPage ctx={ctx} f={emptyPhone()} errors={{}} />);
  });
  app.post('/incidents/phone', {
    schema: { body: FormBody({ agencyOid: Field(200), title: Field(200), level: Field(5), awareAt: Field(40), phoneAt: Field(40), description: Field(10_000) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    if (!authorize(actor, 'incident.centre')) throw notFound();
    const b = req.body;
    const f: PhoneForm = { agencyOid: (b.agencyOid ?? '').trim(), title: b.title ?? '', level: b.level ?? '', awareAt: b.awareAt ?? '', phoneAt: b.phoneAt ?? '', description: b.description ?? '' };
    const again = (e: IncidentError) => page(req, reply, (ctx) => <PhoneFormPage ctx={ctx} f={f} errors={e.fields} message={e.messageKey} />, e.status);
    const awareAt = parseTaipeiTime(f.awareAt), phoneAt = parseTaipeiTime(f.phoneAt), level = Number(f.level);
    const bad: Record<string, 'required' | 'invalid'> = {};
    if (!f.title.trim()) bad.title = 'required';
    if (![1, 2, 3, 4].includes(level)) bad.level = f.level ? 'invalid' : 'required';
    if (!awareAt) bad.awareAt = f.awareAt.trim() ? 'invalid' : 'required';
    if (!phoneAt) bad.phoneAt = f.phoneAt.trim() ? 'invalid' : 'required';
    if (Object.keys(bad).length) return again(new IncidentError(422, 'incidents.report.invalid', bad as never));
    try {
      const id = await phoneReport(deps, actor, { agencyOid: f.agencyOid, title: f.title, level, awareAt: awareAt!, phoneAt: phoneAt!, description: f.description, ip: clientIp(req) });
      return reply.redirect(`/incidents/${id}?done=1`, 303);
    } catch (e) {
      if (e instanceof IncidentError) return again(e);
      throw e;
    }
  });

  // INC-2: a draft edited, and a phone report back-filled by the agency, on the report form.
  for (const mode of ['edit', 'backfill'] as const) {
    app.get(`/incidents/:id/${mode}`, { schema: { params: Closed({ id: Id() }), querystring: Query({}), response: PAGE } }, async (req, reply) => {
      const actor = await actorOf(deps, req);
      const d = await incidentDetail(deps, actor, req.params.id);
      if (!(mode === 'edit' ? d.may.edit : d.may.backfill)) throw notFound();
      const c = await reportChoices(deps, actor, req.ctx.lang === 'en' ? 'en' : 'zh-TW');
      const i = d.incident;
      const f: ReportForm = {
        ...emptyReport(i.org_oid), title: i.title, description: i.description, awareAt: i.aware_at ? taipeiText(i.aware_at) : '', level: i.level ? String(i.level) : '',
        systems: i.affected_systems.flatMap((x) => (x.code ? [x.code] : [])), systemsOther: i.affected_systems.flatMap((x) => (x.text ? [x.text] : [])).join('\n'),
        supportRequested: i.support_requested, otherAgenciesAffected: i.other_agencies_affected, criticalInfrastructure: i.critical_infrastructure,
        contactName: i.contact_name, contactPhone: i.contact_phone, contactEmail: i.contact_email, category: i.category ?? '',
      };
      return page(req, reply, (ctx) => <ReportFormPage ctx={ctx} f={f} agencies={[{ oid: i.org_oid, name: i.org_name }]} systems={c.systems} action={`/incidents/${i.id}/${mode}`} errors={{}} mode={mode} />);
    });
    app.post(`/incidents/:id/${mode}`, { schema: { params: Closed({ id: Id() }), body: reportBody, response: FORM_PAGE } }, async (req, reply) => {
      const actor = await actorOf(deps, req);
      const d = await incidentDetail(deps, actor, req.params.id);
      const c = await reportChoices(deps, actor, req.ctx.lang === 'en' ? 'en' : 'zh-TW');
      const f = { ...formOf(req.body as Record<string, string>), agencyOid: d.incident.org_oid };
      const { input, bad } = inputOf(f);
      const again = (e: IncidentError) => page(req, reply, (ctx) => (
        <ReportFormPage ctx={ctx} f={f} agencies={[{ oid: d.incident.org_oid, name: d.incident.org_name }]} systems={c.systems} action={`/incidents/${req.params.id}/${mode}`} errors={e.fields} message={e.messageKey} mode={mode} />), e.status);
      if (Object.keys(bad).length) return again(new IncidentError(422, 'incidents.report.invalid', bad));
      try {
        if (mode === 'edit') await updateDraft(deps, actor, req.params.id, { input, submit: req.body.do === 'submit', lateReason: f.lateReason, ip: clientIp(req) });
        else await backfill(deps, actor, req.params.id, input, clientIp(req), f.lateReason);
        return reply.redirect(`/incidents/${req.params.id}?done=1`, 303);
      } catch (e) {
        if (e instanceof IncidentError) return again(e);
        throw e;
      }
    });
  }

  app.get('/incidents/contacts', { schema: { querystring: Query({ agency: Field(200) }), response: PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const agency = (req.query.agency ?? '').trim() || (actor.incidentRoles ?? [])[0]?.orgOid || '';
    if (!agency) return page(req, reply, (ctx) => <ContactsPage ctx={ctx} agency="" />);
    if (!isValidOid(agency)) throw notFound();
    const v = await contactsView(deps, actor, agency);
    const authority = await authorityForm(deps, actor, agency);
    return page(req, reply, (ctx) => <ContactsPage ctx={ctx} agency={agency} v={v} authority={authority} />);
  });

  // INC-8: the central authority marks competent authorities (or names an agency's explicit one) from the registry page.
  app.post('/incidents/authority', {
    schema: { querystring: Query({ agency: Field(200) }), body: FormBody({ isAuthority: Field(5), explicitAuthority: Field(200) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const agency = (req.query.agency ?? '').trim();
    const explicit = (req.body.explicitAuthority ?? '').trim();
    try {
      await setAuthority(deps, actor, agency, { isCompetentAuthority: req.body.isAuthority === '1', explicitAuthority: explicit || null }, clientIp(req));
    } catch (e) {
      if (!(e instanceof IncidentError)) throw e;
      const v = await contactsView(deps, actor, agency);
      return page(req, reply, (ctx) => <ContactsPage ctx={ctx} agency={agency} v={v} message={e.messageKey} authority={{ isAuthority: req.body.isAuthority === '1', explicit }} />, e.status);
    }
    return reply.redirect(`/incidents/contacts?agency=${agency}`, 303);
  });

  app.post('/incidents/contacts', {
    schema: { querystring: Query({ agency: Field(200) }), body: FormBody({ username: Field(100), role: Field(30), dedicated: Field(5) }), response: FORM_PAGE },
  }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const agency = (req.query.agency ?? '').trim();
    if (!isValidOid(agency) || !authorize(actor, 'incident.contacts', { oid: agency })) throw notFound();
    const role = req.body.role as ContactRole;
    try {
      if (!(CONTACT_ROLES as readonly string[]).includes(role)) throw new IncidentError(422, 'incidents.contacts.notInAgency');
      await registerContact(deps, actor, agency, { username: req.body.username ?? '', role, dedicated: req.body.dedicated === '1' }, clientIp(req));
    } catch (e) {
      if (!(e instanceof IncidentError)) throw e;
      const v = await contactsView(deps, actor, agency);
      return page(req, reply, (ctx) => <ContactsPage ctx={ctx} agency={agency} v={v} message={e.messageKey} />, e.status);
    }
    return reply.redirect(`/incidents/contacts?agency=${agency}`, 303);
  });

  app.post('/incidents/contacts/confirm', { schema: { querystring: Query({ agency: Field(200) }), body: FormBody({}), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await actorOf(deps, req);
    const agency = (req.query.agency ?? '').trim();
    await confirmContacts(deps, actor, agency, clientIp(req));
    return reply.redirect(`/incidents/contacts?agency=${agency}`, 303);
  });

  app.get('/incidents/:id', { schema: { params: Closed({ id: Id() }), querystring: Query({ done: Field(2) }), response: PAGE } }, async (req, reply) => {
    return showIncident(deps, req, reply, await actorOf(deps, req), req.params.id);
  });

  closurePageRoutes(fastify, deps, showIncident);
  statsPageRoutes(fastify, deps);
  drillPageRoutes(fastify, deps, showIncident);
  profilePageRoutes(fastify, deps, showIncident);

  for (const step of STEPS) {
    app.post(`/incidents/:id/${step}`, { schema: { params: Closed({ id: Id() }), body: stepBody, response: FORM_PAGE } }, async (req, reply) => {
      const actor = await actorOf(deps, req);
      const id = req.params.id;
      const b = req.body;
      const level = b.level ? Number(b.level) : undefined;
      const r = { level, reason: b.reason, note: b.note, lateReason: b.lateReason, ip: clientIp(req) };
      try {
        if (step === 'submit') await submitDraft(deps, actor, id, b.lateReason, clientIp(req));
        else if (step === 'review') await review(deps, actor, id, 'reviewed', r);
        else if (step === 'centre-review') await review(deps, actor, id, 'centre_reviewed', r);
        else if (step === 'direct-review') await review(deps, actor, id, 'centre_direct_review', r);
        else if (step === 'support') await dispatchSupport(deps, actor, id, { note: b.note ?? '', lateReason: b.lateReason, ip: clientIp(req) });
        else await reReport(deps, actor, id, { level: level ?? 0, reason: b.reason ?? '', ip: clientIp(req) });
      } catch (e) {
        if (e instanceof IncidentError) return showIncident(deps, req, reply, actor, id, e.status, e);
        throw e;
      }
      return reply.redirect(`/incidents/${id}?done=1`, 303);
    });
  }
}
