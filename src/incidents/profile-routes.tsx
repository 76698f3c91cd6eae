// INC-9: the profile choice and its steps on the incident page and in the bearer-token API, and the
// central authority's setting of which optional profiles an agency may choose. HTTP only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { clientIp } from '../platform/http/pages.ts';
import { typed, Type, Closed, Field, FieldList, FormBody, FORM_PAGE, Id, Oid, Text } from '../platform/http/contract.ts';
import { loadActor, requireSession } from '../access/actor.ts';
import { apiActor } from '../access/api-auth.ts';
import type { Actor } from '../access/authorize.ts';
import { IncidentError } from './errors.ts';
import { Done, WRITE, answer, idParams } from './api-shared.ts';
import { chooseProfiles, recordProfileStep, setAllowedProfiles } from './profiles.ts';
import { OPTIONAL_PROFILES, PROFILE_STEPS, type ProfileStep } from './profile-rules.ts';

type Show = (deps: Deps, req: FastifyRequest, reply: FastifyReply, actor: Actor, id: number, status?: number, message?: IncidentError) => Promise<FastifyReply>;
const params = Closed({ id: Id() });
const Profiles = Type.Array(Type.Union(OPTIONAL_PROFILES.map((p) => Type.Literal(p))), { maxItems: 5 });

export function profilePageRoutes(fastify: FastifyInstance, deps: Deps, show: Show): void {
  const app = typed(fastify);
  async function run(req: FastifyRequest, reply: FastifyReply, id: number, f: (actor: Actor) => Promise<unknown>) {
    const actor = await loadActor(deps, requireSession(req).accountId);
    try { await f(actor); } catch (e) {
      if (e instanceof IncidentError) return show(deps, req, reply, actor, id, e.status, e);
      throw e;
    }
    return reply.redirect(`/incidents/${id}?done=1`, 303);
  }
  app.post('/incidents/:id/profiles', { schema: { params, body: FormBody({ profiles: FieldList(5, 40) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, (actor) => chooseProfiles(deps, actor, req.params.id, (req.body.profiles as string[] | undefined) ?? [], clientIp(req))));
  app.post('/incidents/:id/profile-step', { schema: { params, body: FormBody({ kind: Field(40), lateReason: Field(2000) }), response: FORM_PAGE } },
    async (req, reply) => run(req, reply, req.params.id, async (actor) => {
      const kind = req.body.kind as ProfileStep;
      if (!(PROFILE_STEPS as readonly string[]).includes(kind)) throw new IncidentError(409, 'incidents.profiles.stepNotNow');
      await recordProfileStep(deps, actor, req.params.id, kind, { lateReason: req.body.lateReason, ip: clientIp(req) });
    }));
}

/** Registered inside the bearer-token API scope (api-routes.ts). */
export function profileApiRoutes(api: FastifyInstance, deps: Deps): void {
  const app = typed(api);
  app.post('/incidents/:id/profiles', {
    schema: { summary: 'Choose the optional deadline profiles of an open incident (INC-9); tw-cs always runs', params: idParams, body: Closed({ profiles: Profiles }), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await chooseProfiles(deps, apiActor(req), req.params.id, req.body.profiles, req.ip);
    return { ok: true as const };
  }));
  app.post('/incidents/:id/profile-step', {
    schema: {
      summary: 'Record a step an optional profile counts (NIS2 early warning, notification, final report; GDPR personal data involved, authority notified) (INC-9)',
      params: idParams, body: Closed({ kind: Type.Union(PROFILE_STEPS.map((k) => Type.Literal(k))), lateReason: Type.Optional(Text(2000)) }), response: { 200: Done, ...WRITE },
    },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await recordProfileStep(deps, apiActor(req), req.params.id, req.body.kind, { lateReason: req.body.lateReason, ip: req.ip });
    return { ok: true as const };
  }));
  app.put('/incidents/authorities/:oid/profiles', {
    schema: { summary: 'The optional deadline profiles an agency may choose (INC-9; central authority only)', params: Closed({ oid: Oid() }), body: Closed({ profiles: Profiles }), response: { 200: Done, ...WRITE } },
  }, async (req, reply) => answer(reply, req.ctx.t, async () => {
    await setAllowedProfiles(deps, apiActor(req), req.params.oid, req.body.profiles, req.ip);
    return { ok: true as const };
  }));
}
