// 用戶端設定 (SSO-2): one system's OpenID Connect client — redirect and logout URIs, portal entry
// URL, authentication, grant types, flags — and its secret, generated on request and shown once.
import { Layout, CsrfField, Notice, type PageContext } from '../../platform/web/layout.tsx';
import type { MessageKey } from '../../platform/web/messages.ts';
import { FieldShell, describedBy } from '../../admin/views/fields.tsx';
import type { ClientSettingsInput, ClientSystem } from '../admin-clients.ts';
import type { ClientErrors } from '../admin-client-rules.ts';
import { AUTH_METHODS, GRANT_TYPES, ID_TOKEN_ALGS, usesSecret } from '../client-rules.ts';
import { systemName } from './admin-systems.tsx';

export interface ClientFormView { system: ClientSystem; values: ClientSettingsInput; errors?: ClientErrors; done?: MessageKey }

function UriList({ ctx, name, label, hint, value, error }: { ctx: PageContext; name: string; label: string; hint: string; value: string[]; error?: string }) {
  return (
    <FieldShell ctx={ctx} name={name} label={label} hint={hint} error={error}>
      <textarea id={name} name={name} rows={3} cols={70} spellcheck={false} aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}>{value.join('\n')}</textarea>
    </FieldShell>
  );
}

function OneUri({ ctx, name, label, hint, value, error }: { ctx: PageContext; name: string; label: string; hint: string; value: string; error?: string }) {
  return (
    <FieldShell ctx={ctx} name={name} label={label} hint={hint} error={error}>
      <input id={name} name={name} type="url" value={value} size={70} maxLength={2000} autocomplete="off" spellcheck={false}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)} />
    </FieldShell>
  );
}

function SecretSection({ ctx, s }: { ctx: PageContext; s: ClientSystem }) {
  const { t } = ctx;
  const c = s.client;
  return (
    <section aria-labelledby="secret-heading">
      <h2 id="secret-heading">{t('sso.admin.secret')}</h2>
      {!s.configured ? <p>{t('sso.admin.secret.saveFirst')}</p>
        : !usesSecret(c.authMethod) ? <p>{t('sso.admin.secret.notUsed')}</p>
        : (
          <>
            <p data-testid="secret-state">{t(c.hasSecret ? 'sso.admin.secret.set' : 'sso.admin.secret.none')}</p>
            <form method="post" action={`/admin/sso/${encodeURIComponent(s.code)}/secret`}>
              <CsrfField ctx={ctx} />
              <button type="submit">{t(c.hasSecret ? 'sso.admin.secret.rotate' : 'sso.admin.secret.generate')}</button>
            </form>
          </>
        )}
    </section>
  );
}

export function ClientPage({ ctx, v }: { ctx: PageContext; v: ClientFormView }) {
  const { t } = ctx;
  const s = v.system;
  const e = v.errors ?? {};
  const err = (k?: MessageKey) => (k ? t(k) : undefined);
  const val = v.values;
  const code = encodeURIComponent(s.code);
  return (
    <Layout ctx={ctx} title={t('sso.admin.editOne', { name: systemName(ctx, s) })}>
      {v.done && <Notice kind="info">{t(v.done)}</Notice>}
      {Object.keys(e).length > 0 && <Notice kind="error">{t('error.badRequest')}</Notice>}
      {!s.configured && <p>{t('sso.admin.notConfigured')}</p>}
      <dl>
        <dt>{t('sso.admin.clientId')}</dt><dd><code data-testid="client-id">{s.code}</code></dd>
        <dt>{t('sso.admin.col.category')}</dt><dd><code>{s.category}</code></dd>
        <dt>{t('sso.admin.issuer')}</dt><dd><code data-testid="issuer">{s.issuer}</code></dd>
        <dt>{t('sso.admin.discovery')}</dt><dd><a href={s.discoveryUrl} data-testid="discovery-url"><code>{s.discoveryUrl}</code></a></dd>
      </dl>
      <p class="hint">{t('sso.admin.endpointsHint')}</p>
      <form method="post" action={`/admin/sso/${code}`} class="stack">
        <CsrfField ctx={ctx} />
        <fieldset aria-describedby={e.authMethod ? 'authMethod-error' : undefined}>
          <legend>{t('sso.admin.authMethod')}</legend>
          {AUTH_METHODS.map((m) => (
            <label class="choice"><input type="radio" name="authMethod" value={m} checked={val.authMethod === m} />{' '}{t(`sso.admin.authMethod.${m}` as MessageKey)}</label>
          ))}
          {e.authMethod && <span id="authMethod-error" class="field-error">{t(e.authMethod)}</span>}
        </fieldset>
        <FieldShell ctx={ctx} name="jwks" label={t('sso.admin.jwks')} hint={t('sso.admin.jwksHint')} error={err(e.jwks)}>
          <textarea id="jwks" name="jwks" rows={4} cols={70} spellcheck={false} aria-invalid={e.jwks ? 'true' : undefined}
            aria-describedby={describedBy('jwks', t('sso.admin.jwksHint'), err(e.jwks))}>{val.jwks}</textarea>
        </FieldShell>
        <FieldShell ctx={ctx} name="idTokenAlg" label={t('sso.admin.idTokenAlg')} hint={t('sso.admin.idTokenAlgHint')} error={err(e.idTokenSignedResponseAlg)}>
          <select id="idTokenAlg" name="idTokenAlg" aria-describedby={describedBy('idTokenAlg', t('sso.admin.idTokenAlgHint'), err(e.idTokenSignedResponseAlg))}>
            {ID_TOKEN_ALGS.map((a) => <option value={a} selected={val.idTokenAlg === a}>{a}</option>)}
          </select>
        </FieldShell>
        <fieldset aria-describedby={e.grantTypes ? 'grantTypes-error' : undefined}>
          <legend>{t('sso.admin.grantTypes')}</legend>
          {GRANT_TYPES.map((g) => (
            <label class="choice"><input type="checkbox" name="grantTypes" value={g} checked={val.grantTypes.includes(g)} />{' '}{t(`sso.admin.grant.${g}` as MessageKey)}</label>
          ))}
          {e.grantTypes && <span id="grantTypes-error" class="field-error">{t(e.grantTypes)}</span>}
        </fieldset>
        <UriList ctx={ctx} name="redirectUris" label={t('sso.admin.redirectUris')} hint={t('sso.admin.uriListHint')} value={val.redirectUris} error={err(e.redirectUris)} />
        <UriList ctx={ctx} name="postLogoutRedirectUris" label={t('sso.admin.postLogoutRedirectUris')} hint={t('sso.admin.uriListHint')} value={val.postLogoutRedirectUris} error={err(e.postLogoutRedirectUris)} />
        <OneUri ctx={ctx} name="backchannelLogoutUri" label={t('sso.admin.backchannelLogoutUri')} hint={t('sso.admin.backchannelHint')} value={val.backchannelLogoutUri} error={err(e.backchannelLogoutUri)} />
        <OneUri ctx={ctx} name="initiateLoginUri" label={t('sso.admin.initiateLoginUri')} hint={t('sso.admin.initiateLoginHint')} value={val.initiateLoginUri} error={err(e.initiateLoginUri)} />
        <fieldset>
          <legend>{t('sso.admin.flags')}</legend>
          <div>
            <label class="choice"><input type="checkbox" name="certificateRequired" value="1" checked={val.certificateRequired} aria-describedby="certificateRequired-hint" />{' '}{t('sso.admin.certificateRequired')}</label>
            <span id="certificateRequired-hint" class="hint">{t('sso.admin.certificateHint')}</span>
          </div>
          <div>
            <label class="choice"><input type="checkbox" name="enabled" value="1" checked={val.enabled} aria-describedby="enabled-hint" />{' '}{t('sso.admin.enabled')}</label>
            <span id="enabled-hint" class="hint">{t('sso.admin.enabledHint')}</span>
          </div>
        </fieldset>
        <div><button type="submit">{t('sso.admin.save')}</button></div>
      </form>
      <SecretSection ctx={ctx} s={s} />
      <p>
        <a href={`/admin/sso/${code}/consents`}>{t('sso.admin.consentsOne', { name: systemName(ctx, s) })}</a>
        {' '}<a href="/admin/sso">{t('sso.admin.back')}</a>
      </p>
    </Layout>
  );
}

/** The secret, this once. The page is never cached (no-store on every HTML answer). */
export function SecretOncePage({ ctx, s, secret, saved }: { ctx: PageContext; s: ClientSystem; secret: string; saved?: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('sso.admin.secret.title')}>
      {saved && <p role="status">{t('sso.admin.savedWithSecret')}</p>}
      <Notice kind="error">{t('sso.admin.secret.once')}</Notice>
      <dl>
        <dt>{t('sso.admin.col.system')}</dt><dd>{systemName(ctx, s)}</dd>
        <dt>{t('sso.admin.clientId')}</dt><dd><code>{s.code}</code></dd>
        <dt>{t('sso.admin.secret.value')}</dt><dd><code data-testid="client-secret">{secret}</code></dd>
      </dl>
      <p><a href={`/admin/sso/${encodeURIComponent(s.code)}`}>{t('sso.admin.backToClient')}</a></p>
    </Layout>
  );
}
