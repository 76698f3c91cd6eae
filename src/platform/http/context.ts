// Per-request context for pages: language, translator, CSRF token, and the menu's user. The
// signed-in session is added by src/access/plugin.ts (declaration merging on
// RequestContext), so this module needs no capability's types.
// CSRF: a random HttpOnly cookie, and every form carries `_csrf` = HMAC(cookie); a POST whose
// field does not match is refused before any handler runs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { randomToken, constantTimeEqual } from '../crypto.ts';
import { LANGS, type Lang, type Translate } from '../web/messages.ts';
import type { PageContext } from '../web/layout.tsx';

export const CSRF_COOKIE = 'tessera_csrf';
export const LANG_COOKIE = 'tessera_lang';
/** The signed-in session's cookie (src/auth/sessions.ts); named here because the CSRF check asks whether one was sent. */
export const SESSION_COOKIE = 'tessera_sid';

/** Augmented by src/access/plugin.ts with the session, which its own hook fills in. */
export interface RequestContext {
  lang: Lang;
  t: Translate;
  csrf: string;
  /** Who the layout's menu is for; set by the access plugin when signed in. */
  user: PageContext['user'];
}

declare module 'fastify' {
  interface FastifyRequest { ctx: RequestContext }
}

export function cookieOptions(deps: Deps, maxAgeSeconds?: number) {
  return {
    path: '/', httpOnly: true, sameSite: 'lax' as const,
    secure: deps.config.baseUrl.startsWith('https://'),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

function pickLang(req: FastifyRequest): Lang {
  const cookie = req.cookies[LANG_COOKIE];
  if (cookie && (LANGS as string[]).includes(cookie)) return cookie as Lang;
  const accept = String(req.headers['accept-language'] ?? '');
  return /^\s*en\b/i.test(accept) ? 'en' : 'zh-TW';
}

export class CsrfError extends Error {}

/** `translator`: the full catalog's, from the composition root (src/messages.ts). */
export function registerRequestContext(app: FastifyInstance, deps: Deps, translator: (lang: Lang) => Translate): void {
  app.decorateRequest('ctx', null as unknown as RequestContext);

  app.addHook('onRequest', async (req, reply) => {
    const lang = pickLang(req);
    const cookieSeed = req.cookies[CSRF_COOKIE];
    const seedValid = Boolean(cookieSeed) && cookieSeed!.length <= 64;
    // A missing seed means any submitted token cannot match: mark it so the check below refuses.
    if (!seedValid) (req as { freshCsrf?: boolean }).freshCsrf = true;
    // The token (and a new seed cookie) is made only when a form is rendered: token endpoints,
    // JSON calls and static files never need one, and minting it cost every such request.
    let csrf: string | undefined;
    const csrfToken = () => {
      if (csrf === undefined) {
        let seed = cookieSeed!;
        if (!seedValid) {
          seed = randomToken(24);
          reply.setCookie(CSRF_COOKIE, seed, cookieOptions(deps));
        }
        csrf = deps.keyring.mac('csrf', seed);
      }
      return csrf;
    };
    const base = {
      lang,
      t: translator(lang),
      get csrf() { return csrfToken(); },
      user: undefined,
    } satisfies Pick<RequestContext, 'lang' | 't' | 'csrf' | 'user'>;
    // The fields other modules merge into RequestContext are filled by their own hooks, which run next.
    req.ctx = base as RequestContext;
  });

  // Every form POST must carry the token; JSON API calls authenticate by bearer token instead.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH' && req.method !== 'DELETE') return;
    const type = String(req.headers['content-type'] ?? '');
    // Without a session cookie there is no ambient credential to abuse: JSON calls, and bearer-token
    // calls without a body (POST /api/v1/accounts/:id/unlock), carry their own authentication.
    const bearer = /^Bearer\s/i.test(String(req.headers.authorization ?? ''));
    if ((type.startsWith('application/json') || bearer) && !req.cookies[SESSION_COOKIE]) return;
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    if ((req as { freshCsrf?: boolean }).freshCsrf || typeof sent !== 'string' || !constantTimeEqual(sent, req.ctx.csrf)) {
      throw new CsrfError('csrf');
    }
  });
}

export function pageContext(req: FastifyRequest): PageContext {
  return { lang: req.ctx.lang, t: req.ctx.t, csrf: req.ctx.csrf, path: req.url, user: req.ctx.user };
}

export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(html);
}

/** A same-site path to return to after login or a language switch; anything else goes home. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(next)) return '/';
  // A Location header must be ASCII: percent-encode anything else (e.g. a Chinese query).
  return next.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}
