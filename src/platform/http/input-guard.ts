// The input guard (OPS-4, OPS-5, issue 9 item 7): the ONE place for the character and structure
// rules that every request must meet, whatever its route. Before any handler (and before the
// OpenID provider mounted at /oidc) it refuses, with a localised 400 that changes nothing:
//   - a U+0000 (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not a character; JSON
//     columns refuse it) in any query, path parameter or body string, or object key;
//   - a JSON body nested deeper than MAX_INPUT_DEPTH (nothing Tessera accepts is deeper than 3;
//     deep nesting is only a way to exhaust the stack of code that walks the value);
//   - a number that is not finite (JSON's 1e400, or "1e400" coerced by a route's schema): Ajv skips
//     its minimum/maximum checks for Infinity, so the check runs again after validation.
// The provider under /oidc reads its own bodies; its storage applies isAcceptableText to the ids
// it is asked for. Per-route schemas (field types, lengths) are a separate, later layer; this
// guard stays the rule for what no field of any route may hold.
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

export const MAX_INPUT_DEPTH = 32;

export type InputProblem = 'nul' | 'surrogate' | 'depth' | 'number';

/** Thrown by the guard; a route may react to it (the login audits the refused attempt). */
export class InputRefused extends HttpError {
  constructor(readonly problem: InputProblem) { super(400, problem === 'number' ? 'error.badRequest' : 'error.badInput'); }
}

// In a /u pattern a surrogate pair is one code point (not Cs); only a lone half matches \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;
const stringProblem = (s: string): InputProblem | null => (s.includes('\0') ? 'nul' : LONE_SURROGATE.test(s) ? 'surrogate' : null);

/**
 * The same character rule for a value the guard could not see: the OpenID provider reads its own
 * request bodies (POST /oidc/token), so its storage asks this before a lookup (src/sso/adapter.ts).
 */
export const isAcceptableText = (s: string): boolean => stringProblem(s) === null;

/**
 * The first problem in a parsed value (strings, arrays, plain objects, at any depth), or null.
 * Iterative, so the walk itself cannot overflow; it stops at the first value past the depth limit.
 */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  // `depth` counts containers: the top-level object or array is 1.
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const p = stringProblem(v);
      if (p) return p;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'number';
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) { // raw bytes hold no text to check
      if (depth > maxDepth) return 'depth';
      for (const [k, child] of Object.entries(v)) {
        const p = stringProblem(k);
        if (p) return p;
        stack.push({ v: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** The path as the router decodes it; a malformed escape is left to the router's own 400. */
function decodedPath(url: string): string {
  const path = url.split('?', 1)[0];
  try { return decodeURIComponent(path); } catch { return ''; }
}

function refuseIfBad(parts: unknown[]): void {
  for (const part of parts) {
    const p = inputProblem(part);
    if (p) throw new InputRefused(p);
  }
}

/**
 * Registers the guard on every route of `app`, the 404 handler and mounted middleware included.
 * Call it after the request context (so the refusal is in the visitor's language) and before any
 * capability registers its own hooks or mounts (the OpenID provider's runs in onRequest).
 */
export function registerInputGuard(app: FastifyInstance): void {
  // The query string and path are known before routing finishes; mounted apps see only these.
  app.addHook('onRequest', async (req) => refuseIfBad([req.query, decodedPath(req.url)]));
  // The body is parsed by now and not yet validated or handled (CSRF and handlers run later).
  app.addHook('preValidation', async (req) => refuseIfBad([req.params, req.body]));
  // Schemas coerce query, params and form values ("1e400" to Infinity): look once more at what the handler will get.
  app.addHook('preHandler', async (req) => refuseIfBad([req.query, req.params, req.body]));
}
