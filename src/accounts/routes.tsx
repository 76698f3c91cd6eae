// HTTP for one's own account: the profile page (ACC-1; editing comes with ACC-5).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, requireSession } from '../platform/http/pages.ts';
import { maskNationalId } from './national-id.ts';
import { ProfilePage } from './views/profile.tsx';

export function accountRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/profile', async (req, reply) => {
    const s = requireSession(req);
    const account = await deps.db.selectFrom('accounts').selectAll().where('id', '=', s.accountId).executeTakeFirstOrThrow();
    const org = await deps.db.selectFrom('orgs').select('name').where('oid', '=', account.unit_oid).executeTakeFirst();
    const masked = account.national_id_enc ? maskNationalId(deps.keyring.decrypt(account.national_id_enc)) : null;
    return page(req, reply, (ctx) => <ProfilePage ctx={ctx} v={{ account, maskedNationalId: masked, unitName: org?.name ?? null }} />);
  });
}
