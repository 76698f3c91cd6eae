// HTTP for one's own account: profile maintenance (ACC-1, ACC-4, ACC-5).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession } from '../access/actor.ts';
import { typed, Field, FormBody, Query, FORM_PAGE, PAGE } from '../platform/http/contract.ts';
import { effectivePolicyFor, getOrg } from '../orgs/store.ts';
import { maskNationalId } from './national-id.ts';
import { getAccount } from './store.ts';
import { updateOwnProfile, FREE_FIELDS, type FreeField } from './service.ts';
import { ProfilePage, type ProfileView } from './views/profile.tsx';

/** Only the free fields are declared, so anything else the form carries is dropped (ACC-4). */
const FREE = Object.fromEntries(FREE_FIELDS.map((f) => [f, Field(200)])) as Record<FreeField, ReturnType<typeof Field>>;

export function accountRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  const profilePage = async (req: FastifyRequest, reply: FastifyReply, extra: Partial<ProfileView> = {}, status = 200) => {
    const s = requireSession(req);
    const account = await getAccount(deps.db, s.accountId);
    const [org, { policy }] = await Promise.all([getOrg(deps.db, account.unit_oid), effectivePolicyFor(deps.db, account.unit_oid)]);
    const masked = account.national_id_enc ? maskNationalId(deps.keyring.decrypt(account.national_id_enc)) : null;
    const v: ProfileView = { account, maskedNationalId: masked, unitName: org?.name ?? null, allowedDomains: policy['email.allowedDomains'], ...extra };
    return page(req, reply, (ctx) => <ProfilePage ctx={ctx} v={v} />, status);
  };

  app.get('/profile', { schema: { querystring: Query({ done: Field(10) }), response: PAGE } }, async (req, reply) =>
    profilePage(req, reply, { info: req.query.done === '1' ? 'profile.saved' : req.query.done === '0' ? 'profile.unchanged' : undefined }));

  app.post('/profile', { schema: { body: FormBody(FREE), response: FORM_PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    const values = Object.fromEntries(FREE_FIELDS.map((f) => [f, req.body[f] ?? ''])) as Record<FreeField, string>;
    const r = await updateOwnProfile(deps, s.accountId, values, clientIp(req));
    if (!r.ok) return profilePage(req, reply, { values, errors: r.errors }, 422);
    return reply.redirect(`/profile?done=${r.changed.length ? 1 : 0}`, 303);
  });
}
