// The provider runs on the raw Node request (middie); the Fastify request, with the Tessera context
// already resolved (language, CSRF, the signed-in session, client IP), is handed over on it here.
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

const LINK = Symbol('tessera request');
type Linked = IncomingMessage & { [LINK]?: FastifyRequest };

export function linkRequest(req: FastifyRequest): void {
  (req.raw as Linked)[LINK] = req;
}

export function linkedRequest(raw: IncomingMessage): FastifyRequest | undefined {
  return (raw as Linked)[LINK];
}
