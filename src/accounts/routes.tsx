// HTTP for one's own account: profile maintenance (ACC-1, ACC-4, ACC-5).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requireSession } from '../access/actor.ts';
import { effectivePolicyFor } from '../orgs/store.ts';
import { maskNationalId } from './national-id.ts';
import { updateOwnProfile, FREE_FIELDS, type FreeField } from './service.ts';
import { ProfilePage, type ProfileView } from './views/profile.tsx';

export function accountRoutes(app: FastifyInstance, deps: Deps): void {
  const profilePage = async (req: FastifyRequest, reply: FastifyReply, extra: Partial<ProfileView> = {}, status = 200) => {
    const s = requireSession(req);
    const account = await deps.db.selectFrom('accounts').selectAll().where('id', '=', s.accountId).executeTakeFirstOrThrow();
    const [org, { policy }] = await Promise.all([
      deps.db.selectFrom('orgs').select('name').where('oid', '=', account.unit_oid).executeTakeFirst(),
      effectivePolicyFor(deps.db, account.unit_oid),
    ]);
    const masked = account.national_id_enc ? maskNationalId(deps.keyring.decrypt(account.national_id_enc)) : null;
    const v: ProfileView = { account, maskedNationalId: masked, unitName: org?.name ?? null, allowedDomains: policy['email.allowedDomains'], ...extra };
    return page(req, reply, (ctx) => <ProfilePage ctx={ctx} v={v} />, status);
  };

  app.get<{ Querystring: { done?: string } }>('/profile', async (req, reply) =>
    profilePage(req, reply, { info: req.query.done === '1' ? 'profile.saved' : req.query.done === '0' ? 'profile.unchanged' : undefined }));

  app.post<{ Body: Record<string, unknown> }>('/profile', async (req, reply) => {
    const s = requireSession(req);
    // Only the free fields are read from the form; anything else it carries is ignored (ACC-4).
    const values = Object.fromEntries(FREE_FIELDS.map((f) => [f, typeof req.body?.[f] === 'string' ? (req.body[f] as string).slice(0, 200) : ''])) as Record<FreeField, string>;
    const r = await updateOwnProfile(deps, s.accountId, values, clientIp(req));
    if (!r.ok) return profilePage(req, reply, { values, errors: r.errors }, 422);
    return reply.redirect(`/profile?done=${r.changed.length ? 1 : 0}`, 303);
  });
}
