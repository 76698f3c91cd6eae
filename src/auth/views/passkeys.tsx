// 登入方式 (AUTH-11): the user's passkeys (name, kind, created, last used), rename and remove forms
// that work without JavaScript, and the "add a passkey" button that needs it (WebAuthn), hidden
// until the script shows it; the text says why when it stays hidden. Also the administrator's
// section on the account page (ADM-5) and the sign-in button of the login page.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import { formatTime } from '../../platform/web/format.ts';
import type { PasskeyListItem } from '../passkeys.ts';

/** The WebAuthn library's browser bundle, then the page script that uses it (both same-origin, CSP-safe). */
export function PasskeyScripts() {
  return (
    <>
      <script src="/static/webauthn.js" defer></script>
      <script src="/static/passkeys.js" defer></script>
    </>
  );
}

/** The messages the page script shows, carried on its form. */
const scriptMessages = (ctx: PageContext) => ({
  'data-msg-working': ctx.t('passkey.working'), 'data-msg-cancelled': ctx.t('passkey.cancelled'),
  'data-msg-unsupported': ctx.t('passkey.unsupported'), 'data-msg-failed': ctx.t('error.internal'),
});

export interface PasskeysView { passkeys: PasskeyListItem[]; info?: string; error?: string; allowed: boolean }

function PasskeyTable({ ctx, items, actions }: { ctx: PageContext; items: PasskeyListItem[]; actions: (p: PasskeyListItem) => preact.ComponentChildren }) {
  const { t } = ctx;
  return (
    <table>
      <thead><tr>
        <th scope="col">{t('passkey.name')}</th><th scope="col">{t('passkey.kind')}</th><th scope="col">{t('passkey.created')}</th>
        <th scope="col">{t('passkey.lastUsed')}</th><th scope="col">{t('passkey.actions')}</th>
      </tr></thead>
      <tbody>
        {items.map((p) => (
          <tr data-passkey={p.id}>
            <td data-testid="passkey-name">{p.name}</td>
            <td>{t(p.synced ? 'passkey.synced' : 'passkey.deviceBound')}</td>
            <td>{formatTime(p.createdAt, ctx.lang)}</td>
            <td>{p.lastUsedAt ? formatTime(p.lastUsedAt, ctx.lang) : t('passkey.never')}</td>
            <td>{actions(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PasskeysPage({ ctx, v }: { ctx: PageContext; v: PasskeysView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('passkey.title')}>
      {v.error && <Notice kind="error">{v.error}</Notice>}
      {v.info && <Notice kind="info">{v.info}</Notice>}
      <p>{t('passkey.intro')}</p>
      {v.allowed ? (
        <section aria-labelledby="passkey-add-h">
          <h2 id="passkey-add-h">{t('passkey.register')}</h2>
          <p class="hint" data-passkey-nojs>{t('passkey.needsJs')}</p>
          <form method="post" action="/account/passkeys" data-passkey="register" data-options="/account/passkeys/options" hidden {...scriptMessages(ctx)}>
            <CsrfField ctx={ctx} />
            <button type="submit">{t('passkey.register')}</button>
            <p aria-live="polite" data-passkey-status></p>
          </form>
        </section>
      ) : <Notice kind="warning">{t('passkey.disabledByPolicy')}</Notice>}
      <section aria-labelledby="passkey-list-h">
        <h2 id="passkey-list-h">{t('passkey.list')}</h2>
        {v.passkeys.length === 0 ? <p>{t('passkey.none')}</p> : (
          <PasskeyTable ctx={ctx} items={v.passkeys} actions={(p) => (
            <div class="row-actions">
              <form method="post" action={`/account/passkeys/${p.id}/rename`} class="inline">
                <CsrfField ctx={ctx} />
                <input id={`rename-${p.id}`} name="name" value={p.name} maxLength={60} required aria-label={t('passkey.renameLabel', { name: p.name })} />
                <button type="submit">{t('passkey.rename')}</button>
              </form>
              <form method="post" action={`/account/passkeys/${p.id}/remove`} class="inline">
                <CsrfField ctx={ctx} />
                <button type="submit" aria-label={t('passkey.removeLabel', { name: p.name })}>{t('passkey.remove')}</button>
              </form>
            </div>
          )} />
        )}
      </section>
      <PasskeyScripts />
    </Layout>
  );
}

/** The administrator's view of an account's passkeys (ADM-5): listed, each removable when allowed. */
export function AdminPasskeysSection({ ctx, accountId, items, canRemove }: { ctx: PageContext; accountId: number; items: PasskeyListItem[]; canRemove: boolean }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="passkeys-h">
      <h2 id="passkeys-h">{t('passkey.adminTitle')}</h2>
      {items.length === 0 ? <p>{t('passkey.adminNone')}</p> : (
        <PasskeyTable ctx={ctx} items={items} actions={(p) => canRemove ? (
          <form method="post" action={`/admin/accounts/${accountId}/passkeys/${p.id}/remove`} class="inline">
            <CsrfField ctx={ctx} />
            <button type="submit" aria-label={t('passkey.removeLabel', { name: p.name })}>{t('passkey.remove')}</button>
          </form>
        ) : '—'} />
      )}
    </section>
  );
}

/** The login page's passkey sign-in: a button the script shows, and the text that explains it without JavaScript. */
export function PasskeyLogin({ ctx, next }: { ctx: PageContext; next?: string }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="passkey-login-h">
      <h2 id="passkey-login-h">{t('passkey.loginButton')}</h2>
      <p class="hint" data-passkey-nojs>{t('passkey.needsJs')}</p>
      <form method="post" action="/login/passkey" data-passkey="login" data-options="/login/passkey/options" hidden {...scriptMessages(ctx)}>
        <CsrfField ctx={ctx} />
        {next && <input type="hidden" name="next" value={next} />}
        <p class="hint">{t('passkey.loginHint')}</p>
        <button type="submit">{t('passkey.loginButton')}</button>
        <p aria-live="polite" data-passkey-status></p>
      </form>
      <PasskeyScripts />
    </section>
  );
}
