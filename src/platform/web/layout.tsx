// Page shell: skip link, header navigation, language switch, main landmark. Server-rendered;
// every form works without JavaScript.
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Lang, Translate } from './messages.ts';

export interface PageUser { username: string; name: string; isCentral: boolean; isAdmin?: boolean; mustChangePassword: boolean }

export interface PageContext {
  lang: Lang;
  t: Translate;
  csrf: string;
  path: string;
  user?: PageUser;
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrf} />;
}

/** error: refused; info: done or neutral (green); warning: something to do before going on (amber). */
export function Notice({ kind, children }: { kind: 'error' | 'info' | 'warning'; children: ComponentChildren }) {
  return kind === 'error'
    ? <div class="notice error" role="alert">{children}</div>
    : <div class={`notice ${kind}`} role="status">{children}</div>;
}

function Nav({ ctx }: { ctx: PageContext }) {
  const { t, user } = ctx;
  return (
    <nav aria-label={t('nav.main')}>
      <ul class="nav">
        {user && !user.mustChangePassword && <li><a href="/">{t('nav.home')}</a></li>}
        <li><a href="/announcements">{t('nav.announcements')}</a></li>
        <li><a href="/orgs">{t('nav.orgs')}</a></li>
        <li><a href="/orgs/lookup">{t('nav.lookup')}</a></li>
        {user?.isAdmin && !user.mustChangePassword && <li><a href="/admin">{t('nav.admin')}</a></li>}
        {user?.isCentral && !user.mustChangePassword && <li><a href="/admin/audit">{t('nav.audit')}</a></li>}
        {user && !user.mustChangePassword && <li><a href="/profile">{t('profile.title')}</a></li>}
        {user && !user.mustChangePassword && <li><a href="/account/passkeys">{t('nav.passkeys')}</a></li>}
        {user && !user.mustChangePassword && <li><a href="/requests">{t('request.nav')}</a></li>}
        {user && <li><a href="/password/change">{t('nav.password')}</a></li>}
        {!user && <li><a href="/login">{t('nav.login')}</a></li>}
      </ul>
      {user && (
        <div class="session-actions">
          <form method="post" action="/logout"><CsrfField ctx={ctx} /><button type="submit">{t('nav.logout')}</button></form>
          <form method="post" action="/logout-everywhere"><CsrfField ctx={ctx} /><button type="submit">{t('nav.logoutEverywhere')}</button></form>
        </div>
      )}
    </nav>
  );
}

function LanguageSwitch({ ctx }: { ctx: PageContext }) {
  const next = encodeURIComponent(ctx.path);
  return (
    <p class="lang-switch">
      <span id="lang-label">{ctx.t('nav.language')}：</span>
      {ctx.lang === 'en'
        ? <a href={`/lang/zh-TW?next=${next}`} lang="zh-Hant" hreflang="zh-Hant">{ctx.t('lang.zh')}</a>
        : <a href={`/lang/en?next=${next}`} lang="en" hreflang="en">{ctx.t('lang.en')}</a>}
    </p>
  );
}

export function Layout({ ctx, title, children }: { ctx: PageContext; title: string; children: ComponentChildren }) {
  const htmlLang = ctx.lang === 'en' ? 'en' : 'zh-Hant-TW';
  return (
    <html lang={htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} - ${ctx.t('app.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">{ctx.t('nav.skip')}</a>
        <header>
          <p class="brand"><a href="/">{ctx.t('app.name')}</a></p>
          <Nav ctx={ctx} />
          <LanguageSwitch ctx={ctx} />
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export function renderPage(node: preact.VNode): string {
  return '<!doctype html>' + renderToString(node);
}
