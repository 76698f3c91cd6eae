// Pages of citizen-certificate sign-in (AUTH-8, ADM-5): the login page's link, the certificate
// sign-in page (PIN and lock-out happen on the card; the MOICA unblock service is linked), the
// user's registered certificates (register with the card, remove without JavaScript), the
// administrator's section on an account, and the central authority's trust configuration.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import type { BindingRow } from './store.ts';
import type { TrustItem } from './trust.ts';

/** HiPKI's local signing service, where the page script opens its popup. */
export const HIPKI_SERVICE = 'http://localhost:61161';
/** MOICA's page for unlocking a card locked by wrong PINs. */
export const MOICA_UNBLOCK_URL = 'https://moica.nat.gov.tw/rac_plugin.html';

const scriptMessages = (ctx: PageContext) => ({
  'data-msg-working': ctx.t('cert.login.working'), 'data-msg-noservice': ctx.t('cert.login.noService'), 'data-msg-failed': ctx.t('error.internal'),
  'data-service': HIPKI_SERVICE,
});

/** The login page's entry: a link to the certificate page (works without JavaScript). */
export function CertificateLoginLink({ ctx, next }: { ctx: PageContext; next?: string }) {
  return <p><a href={`/login/certificate${next ? `?next=${encodeURIComponent(next)}` : ''}`} data-testid="cert-login-link">{ctx.t('cert.login.button')}</a></p>;
}

function CardForm({ ctx, action, challenge, next, label }: { ctx: PageContext; action: string; challenge: string; next?: string; label: string }) {
  const { t } = ctx;
  return (
    <>
      <p class="hint" data-cert-nojs>{t('cert.login.needsJs')}</p>
      <form method="post" action={action} data-cert="sign" data-challenge={challenge} hidden {...scriptMessages(ctx)}>
        <CsrfField ctx={ctx} />
        {next && <input type="hidden" name="next" value={next} />}
        <label for="cert-pin">{t('cert.pin')}</label>
        <input id="cert-pin" name="pin" type="password" inputMode="numeric" autocomplete="off" maxLength={12} required />
        <button type="submit">{label}</button>
        <p aria-live="polite" data-cert-status></p>
      </form>
      <script src="/static/cert.js" defer></script>
    </>
  );
}

export function CertificateLoginPage({ ctx, next, error }: { ctx: PageContext; next?: string; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('cert.login.title')}>
      {error && <Notice kind="error">{error}</Notice>}
      <p>{t('cert.login.intro')}</p>
      <p>{t('cert.login.pin')} <a href={MOICA_UNBLOCK_URL} rel="noopener">{t('cert.login.unblock')}</a></p>
      <CardForm ctx={ctx} action="/login/certificate" challenge="/login/certificate/challenge" next={next} label={t('cert.login.go')} />
      <p><a href={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>{t('login.title')}</a></p>
    </Layout>
  );
}

function BindingTable({ ctx, items, actions }: { ctx: PageContext; items: BindingRow[]; actions: (b: BindingRow) => preact.ComponentChildren }) {
  const { t } = ctx;
  return (
    <table>
      <thead><tr>
        <th scope="col">{t('cert.commonName')}</th><th scope="col">{t('cert.issuer')}</th><th scope="col">{t('cert.notAfter')}</th>
        <th scope="col">{t('cert.created')}</th><th scope="col">{t('cert.lastUsed')}</th><th scope="col">{t('passkey.actions')}</th>
      </tr></thead>
      <tbody>
        {items.map((b) => (
          <tr data-certificate={b.id}>
            <td>{b.common_name}</td><td>{b.issuer}</td><td>{formatTime(b.not_after, ctx.lang)}</td>
            <td>{formatTime(b.created_at, ctx.lang)}</td><td>{b.last_used_at ? formatTime(b.last_used_at, ctx.lang) : t('passkey.never')}</td>
            <td>{actions(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CertificatesPage({ ctx, items, allowed, info, error }: { ctx: PageContext; items: BindingRow[]; allowed: boolean; info?: string; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('cert.title')}>
      {error && <Notice kind="error">{error}</Notice>}
      {info && <Notice kind="info">{info}</Notice>}
      <p>{t('cert.intro')}</p>
      <p>{t('cert.login.pin')} <a href={MOICA_UNBLOCK_URL} rel="noopener">{t('cert.login.unblock')}</a></p>
      {allowed ? (
        <section aria-labelledby="cert-add-h">
          <h2 id="cert-add-h">{t('cert.register')}</h2>
          <CardForm ctx={ctx} action="/account/certificates" challenge="/account/certificates/challenge" label={t('cert.register')} />
        </section>
      ) : <Notice kind="warning">{t('cert.disabledByPolicy')}</Notice>}
      <section aria-labelledby="cert-list-h">
        <h2 id="cert-list-h">{t('cert.list')}</h2>
        {items.length === 0 ? <p>{t('cert.none')}</p> : (
          <BindingTable ctx={ctx} items={items} actions={(b) => (
            <form method="post" action={`/account/certificates/${b.id}/remove`} class="inline">
              <CsrfField ctx={ctx} />
              <button type="submit">{t('cert.remove')}</button>
            </form>
          )} />
        )}
      </section>
    </Layout>
  );
}

/** ADM-5: an account's registered certificates, for an administrator within the jurisdiction. */
export function AdminCertificatesSection({ ctx, accountId, items, canRemove }: { ctx: PageContext; accountId: number; items: BindingRow[]; canRemove: boolean }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="certs-h">
      <h2 id="certs-h">{t('cert.list')}</h2>
      {items.length === 0 ? <p>{t('cert.none')}</p> : (
        <BindingTable ctx={ctx} items={items} actions={(b) => canRemove ? (
          <form method="post" action={`/admin/accounts/${accountId}/certificates/${b.id}/remove`} class="inline">
            <CsrfField ctx={ctx} />
            <button type="submit">{t('cert.remove')}</button>
          </form>
        ) : '—'} />
      )}
    </section>
  );
}

export function TrustPage({ ctx, items, info, error }: { ctx: PageContext; items: TrustItem[]; info?: string; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('cert.trust.title')}>
      {error && <Notice kind="error">{error}</Notice>}
      {info && <Notice kind="info">{info}</Notice>}
      <p>{t('cert.trust.intro')}</p>
      {items.length === 0 ? <p>{t('cert.trust.none')}</p> : (
        <table>
          <thead><tr>
            <th scope="col">{t('cert.trust.label')}</th><th scope="col">{t('cert.trust.kind')}</th><th scope="col">{t('cert.issuer')}</th>
            <th scope="col">{t('cert.trust.keyId')}</th><th scope="col">{t('cert.notAfter')}</th><th scope="col">{t('passkey.actions')}</th>
          </tr></thead>
          <tbody>
            {items.map((i) => (
              <tr data-trust={i.id}>
                <td>{i.label}</td><td>{t(i.kind === 'anchor' ? 'cert.trust.kind.anchor' : 'cert.trust.kind.intermediate')}</td><td>{i.subject}</td>
                <td><code>{i.subjectKeyId}</code></td><td>{formatTime(i.notAfter, ctx.lang)}</td>
                <td>
                  <form method="post" action={`/admin/certificates/trust/${i.id}/remove`} class="inline">
                    <CsrfField ctx={ctx} />
                    <button type="submit">{t('cert.remove')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="trust-add-h">
        <h2 id="trust-add-h">{t('cert.trust.add')}</h2>
        <form method="post" action="/admin/certificates/trust">
          <CsrfField ctx={ctx} />
          <div><label for="trust-label">{t('cert.trust.label')}</label><input id="trust-label" name="label" maxLength={200} /></div>
          <div><label for="trust-pem">{t('cert.trust.file')}</label><textarea id="trust-pem" name="certificate" rows={8} required></textarea></div>
          <div><label for="trust-crl">{t('cert.trust.crlUrlField')}</label><input id="trust-crl" name="crlUrl" type="url" maxLength={500} /></div>
          <button type="submit">{t('cert.trust.add')}</button>
        </form>
      </section>
    </Layout>
  );
}
