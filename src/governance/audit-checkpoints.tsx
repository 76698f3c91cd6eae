// The audit trail's signed checkpoints for the central authority (GOV-1, issue 15): the page
// /admin/audit/checkpoints (newest first, paged without JavaScript, with the public keys and the
// seal lag) and GET /api/v1/audit/checkpoints, both through `audit.read` (central authority only).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page } from '../platform/http/pages.ts';
import { requirePermission } from '../access/actor.ts';
import { apiActor, bearerAuth } from '../access/api-auth.ts';
import { authorize } from '../access/authorize.ts';
import { notFound } from '../platform/http/errors.ts';
import { API_PREFIX } from '../admin/api-routes.ts';
import { READ_ERRORS } from '../admin/api-schemas.ts';
import { typed, Type, Closed, Field, Query, PAGE, DateTime, Text } from '../platform/http/contract.ts';
import { Layout, type PageContext } from '../platform/web/layout.tsx';
import { formatTime } from '../platform/web/format.ts';
import { recentCheckpoints, signingKeys } from '../platform/audit-store.ts';
import { sealLag } from '../platform/audit-sealer.ts';

export const CHECKPOINT_PAGE_SIZE = 50;

type CheckpointRow = Awaited<ReturnType<typeof recentCheckpoints>>[number];
type KeyRow = Awaited<ReturnType<typeof signingKeys>>[number];

const beforeOf = (s: string | undefined) => (s && /^[1-9]\d{0,15}$/.test(s) ? Number(s) : undefined);

const Seq = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });
const apiItem = Type.Object({
  id: Seq('The checkpoint\'s number'),
  chainSeq: Seq('Every event with a chain position up to this one is covered'),
  headHash: Text(64, { description: 'SHA-256 hash of the event at chainSeq (hex)' }),
  signedAt: DateTime(),
  keyId: Text(64, { description: 'The signing key (first 16 hex digits of the SHA-256 of its SPKI)' }),
  signature: Text(200, { description: 'Ed25519 signature (Base64) of "tessera-audit-checkpoint/v1\\n<chainSeq>\\n<headHash>\\n<signedAt ISO>"' }),
});
const apiList = Type.Object({
  items: Type.Array(apiItem, { maxItems: CHECKPOINT_PAGE_SIZE }),
  keys: Type.Array(Type.Object({ id: Text(64), publicKey: Text(200, { description: 'Ed25519 public key, SPKI DER in Base64' }), createdAt: DateTime() }), { maxItems: 1000 }),
  unsealed: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Committed events the sealer has not chained yet' }),
}, { description: 'Signed checkpoints of the audit chain, newest first, and the keys that verify them' });
const apiQuery = Closed({ before: Type.Optional(Seq('Only checkpoints with a smaller number (the next page)')) });

export function auditCheckpointRoutes(fastify: FastifyInstance, deps: Deps): void {
  typed(fastify).get('/admin/audit/checkpoints', { schema: { querystring: Query({ before: Field(20) }), response: PAGE } }, async (req, reply) => {
    await requirePermission(deps, req, 'audit.read');
    const rows = await recentCheckpoints(deps.db, CHECKPOINT_PAGE_SIZE, beforeOf(req.query.before));
    const keys = await signingKeys(deps.db);
    const lag = await sealLag(deps);
    return page(req, reply, (ctx) => <CheckpointsPage ctx={ctx} rows={rows} keys={keys} lag={lag} />);
  });

  fastify.register(async (api) => {
    api.decorateRequest('apiActor', null);
    api.addHook('onRequest', bearerAuth(deps));
    typed(api).get('/audit/checkpoints', {
      schema: { summary: 'Signed checkpoints of the audit chain; central authority only (GOV-1)', querystring: apiQuery, response: { 200: apiList, ...READ_ERRORS } },
    }, async (req) => {
      if (!authorize(apiActor(req), 'audit.read')) throw notFound();
      const rows = await recentCheckpoints(deps.db, CHECKPOINT_PAGE_SIZE, req.query.before);
      const keys = await signingKeys(deps.db);
      return {
        items: rows.map((r) => ({ id: Number(r.id), chainSeq: Number(r.chain_seq), headHash: r.head_hash, signedAt: new Date(r.signed_at).toISOString(), keyId: r.key_id, signature: r.signature })),
        keys: keys.map((k) => ({ id: k.id, publicKey: k.public_key, createdAt: new Date(k.created_at).toISOString() })),
        unsealed: (await sealLag(deps)).unsealed,
      };
    });
  }, { prefix: API_PREFIX });
}

function CheckpointsPage({ ctx, rows, keys, lag }: { ctx: PageContext; rows: CheckpointRow[]; keys: KeyRow[]; lag: { unsealed: number; oldestUnsealedSeconds: number } }) {
  const { t } = ctx;
  const older = rows.length === CHECKPOINT_PAGE_SIZE ? Number(rows[rows.length - 1].id) : undefined;
  return (
    <Layout ctx={ctx} title={t('audit.checkpoints.title')}>
      <p>{t('audit.checkpoints.intro')}</p>
      <p>{t('audit.checkpoints.lag', { n: lag.unsealed, s: Math.round(lag.oldestUnsealedSeconds) })}</p>
      <p><a href="/admin/audit">{t('audit.title')}</a></p>
      {rows.length === 0 ? <p>{t('audit.checkpoints.none')}</p> : (
        <table>
          <caption>{t('audit.checkpoints.caption')}</caption>
          <thead><tr>
            <th scope="col">{t('audit.checkpoints.id')}</th><th scope="col">{t('audit.checkpoints.chainSeq')}</th>
            <th scope="col">{t('audit.checkpoints.headHash')}</th><th scope="col">{t('audit.checkpoints.signedAt')}</th>
            <th scope="col">{t('audit.checkpoints.key')}</th><th scope="col">{t('audit.checkpoints.instance')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr data-checkpoint={String(r.id)}>
                <td>{String(r.id)}</td><td>{String(r.chain_seq)}</td><td class="oid">{r.head_hash}</td>
                <td>{formatTime(new Date(r.signed_at), ctx.lang)}</td><td class="oid">{r.key_id}</td><td>{r.instance}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {older !== undefined && <p><a href={`/admin/audit/checkpoints?before=${older}`}>{t('audit.checkpoints.older')}</a></p>}
      <h2 id="keys-h">{t('audit.checkpoints.keys')}</h2>
      {keys.length === 0 ? <p>{t('audit.checkpoints.none')}</p> : (
        <table aria-labelledby="keys-h">
          <caption>{t('audit.checkpoints.keysCaption')}</caption>
          <thead><tr><th scope="col">{t('audit.checkpoints.key')}</th><th scope="col">{t('audit.checkpoints.created')}</th><th scope="col">{t('audit.checkpoints.publicKey')}</th></tr></thead>
          <tbody>{keys.map((k) => <tr><td class="oid">{k.id}</td><td>{formatTime(new Date(k.created_at), ctx.lang)}</td><td class="oid">{k.public_key}</td></tr>)}</tbody>
        </table>
      )}
    </Layout>
  );
}
