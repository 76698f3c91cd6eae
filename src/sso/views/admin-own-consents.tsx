// 同意授權紀錄 (SSO-3): the user's own consents, each with a button to revoke it.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { isMessageKey } from '../../messages.ts';
import { formatTime } from '../../platform/web/format.ts';
import type { OwnConsent } from '../admin-own-consents.ts';
import { systemName } from './admin-systems.tsx';

/** A claim's name in the page's language, as the consent page names it; one without a label is shown as it is. */
export function claimLabel(ctx: PageContext, claim: string): string {
  const key = `sso.claim.${claim}`;
  return isMessageKey(key) ? ctx.t(key) : claim;
}

export function OwnConsentsPage({ ctx, consents, revoked }: { ctx: PageContext; consents: OwnConsent[]; revoked?: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('consents.title')}>
      {revoked && <Notice kind="info">{t('consents.revoked')}</Notice>}
      {consents.length === 0 ? <p>{t('consents.none')}</p> : (
        <>
          <p>{t('consents.intro')}</p>
          <table>
            <thead><tr>
              <th scope="col">{t('consents.col.system')}</th><th scope="col">{t('consents.col.claims')}</th>
              <th scope="col">{t('consents.col.at')}</th><th scope="col">{t('consents.col.actions')}</th>
            </tr></thead>
            <tbody>
              {consents.map((c) => {
                const name = systemName(ctx, c);
                return (
                  <tr data-system={c.systemCode}>
                    <th scope="row">{name}</th>
                    <td><ul>{c.claims.map((cl) => <li>{claimLabel(ctx, cl)}</li>)}</ul></td>
                    <td>{formatTime(c.grantedAt, ctx.lang)}</td>
                    <td>
                      <form method="post" action={`/consents/${encodeURIComponent(c.systemCode)}/revoke`}>
                        <CsrfField ctx={ctx} />
                        <button type="submit" aria-label={t('consents.revokeOne', { name })}>{t('consents.revoke')}</button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </Layout>
  );
}
