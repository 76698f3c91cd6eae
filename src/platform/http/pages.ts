// Page helpers shared by route modules: render a page with the request's context, the client's address.
// Who is signed in and what they may do is src/access/ (actor.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderPage, type PageContext } from '../web/layout.tsx';
import { pageContext, sendHtml } from './context.ts';

export function page(req: FastifyRequest, reply: FastifyReply, view: (ctx: PageContext) => VNode, status = 200) {
  return sendHtml(reply, renderPage(view(pageContext(req))), status);
}

export const clientIp = (req: FastifyRequest): string => req.ip;
