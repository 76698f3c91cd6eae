// Route contracts (OPS-4, OPS-5, issue 10): the building blocks every route declares its input and
// answers with, pages and JSON API alike. Schemas are TypeBox values, which are plain JSON Schema:
// Fastify's Ajv validates them, fast-json-stringify serialises JSON answers with them (dropping any
// column not declared), @fastify/swagger publishes them, and the type provider types `req.body`,
// `req.query` and `req.params` from them, so no handler parses input by hand.
//
// The conventions, checked for every route by test/platform/route-contracts.test.ts:
//   - every string has a maxLength; every number a minimum and maximum; every array a maxItems;
//   - objects are closed (additionalProperties: false): Ajv removes undeclared fields, so a handler
//     only ever sees what its route declared;
//   - a form body always admits `_csrf` (checked later, in the request context's preHandler);
//   - a route declares params when its URL has any, a querystring when it is read (GET/HEAD), a body
//     when it is written (POST/PUT/PATCH/DELETE), and its responses.
// What no string of any route may hold (NUL, lone surrogates) and how deep any body may nest is
// the input guard's, once for all routes (input-guard.ts).
import { Type, type Static, type TSchema, type TProperties } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

export { Type };
export type { Static, TSchema } from 'typebox';

/** The shape of an OID as typed: digits separated by dots. The registry's rules (isValidOid) decide the rest. */
export const OID_PATTERN = '^(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+$';
const MAX_INT = 2_147_483_647; // PostgreSQL integer

/** A string of at most `max` characters. */
export const Text = (max: number, opts: Record<string, unknown> = {}) => Type.String({ maxLength: max, ...opts });
/** An OID in a path, query or JSON body. */
export const Oid = (opts: Record<string, unknown> = {}) => Type.String({ maxLength: 200, pattern: OID_PATTERN, ...opts });
/** A row id (PostgreSQL integer, positive). */
export const Id = (opts: Record<string, unknown> = {}) => Type.Integer({ minimum: 1, maximum: MAX_INT, ...opts });
/** A page number of a list. */
export const PageNo = () => Type.Integer({ minimum: 1, maximum: 100_000, default: 1 });
/** A closed object: undeclared properties are removed before the handler sees the value. */
export const Closed = <P extends TProperties>(props: P, opts: Record<string, unknown> = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

// ---- Pages (HTML forms) ----
// Form fields arrive as strings (or arrays of strings when repeated) and are all optional at the
// schema level: a missing or empty required field is the handler's to answer with the form again
// and a message beside the field, which a bare 400 could not do.

/** An optional form text field of at most `max` characters. */
export const Field = (max = 500) => Type.Optional(Type.String({ maxLength: max }));
/** An optional repeated form field (checkboxes, multi-selects); one value arrives as a list of one. */
export const FieldList = (maxItems = 200, max = 200) => Type.Optional(Type.Array(Type.String({ maxLength: max }), { maxItems }));
/** A form body: the declared fields and the CSRF token. */
export const FormBody = <P extends TProperties>(props: P) =>
  Closed({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), ...props });
/** A query string (closed; unknown parameters are dropped). */
export const Query = <P extends TProperties>(props: P = {} as P) => Closed(props);
/** No query parameters are read. */
export const NoQuery = () => Closed({});

/** A write that reads no body (POST /accounts/:id/unlock): whatever is sent is ignored. */
export const NoBody = () => Type.Unsafe<undefined>({ description: 'No body is read; anything sent is ignored' });

export const Html = Type.String({ description: 'An HTML page (text/html)' });
export const SeeOther = Type.Null({ description: 'See Other: the Location header names the next page' });
/** What a page answers: itself, a redirect after a form, or an error page. */
export const PAGE = { 200: Html, 303: SeeOther, 400: Html, 403: Html, 404: Html } as const;
/** Pages that answer 4xx with the form again (field messages) as well. */
export const FORM_PAGE = { ...PAGE, 409: Html, 422: Html, 429: Html } as const;

// ---- JSON API ----

/** The one error shape of the JSON API (and of any 4xx/5xx answered as JSON). */
export const ErrorBody = Type.Object({
  error: Type.String({ description: 'Stable code (a message key), for programs' }),
  message: Type.String({ description: 'The message in the caller\'s language (Accept-Language)' }),
  fields: Type.Optional(Type.Array(Type.String(), { description: 'Invalid inputs, as location.name' })),
}, { $id: 'Error', description: 'An error: a stable code and a localised message' });

/** A refusal by the unit's rules: which field, and why, in the caller's language. */
export const FieldErrors = Type.Object({
  error: Type.String(),
  message: Type.String(),
  errors: Type.Record(Type.String(), Type.String(), { description: 'Field name → message' }),
}, { description: 'Refused by the rules; `errors` names each field and why' });

/** `schema` or null, as one JSON Schema type list (a union with null would let Ajv's coercion turn null into ""). */
export const OrNull = <T extends TSchema>(schema: T, opts: Record<string, unknown> = {}) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [(schema as { type?: string }).type ?? 'string', 'null'], ...opts });
// Answers are serialised, not validated: a Date is written as its ISO string, and a service's
// string column is answered as it is; the enums are what the answers hold, published.
/** A moment in an answer (a Date or its ISO string). */
export const DateTime = (opts: Record<string, unknown> = {}) => Type.Unsafe<Date | string>({ type: 'string', format: 'date-time', ...opts });
/** One of `values` in an answer. */
export const OneOf = (values: readonly string[], opts: Record<string, unknown> = {}) => Type.Unsafe<string>({ type: 'string', enum: [...values], ...opts });

/** Errors any token-checked API route may answer. */
export const API_ERRORS = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody } as const;

/** Fastify with the TypeBox type provider: handlers get typed, validated input. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** The schema of a route as Fastify's onRoute hook sees it. */
export interface DeclaredSchema {
  params?: TSchema; querystring?: TSchema; body?: TSchema; response?: Record<string, TSchema>;
  summary?: string; hide?: boolean;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a route's declaration lacks by the conventions above (empty: it is complete). */
export function contractProblems(method: string, url: string, schema: DeclaredSchema | undefined): string[] {
  if (!schema) return ['no schema'];
  const problems: string[] = [];
  const statuses = Object.keys(schema.response ?? {});
  if (!statuses.some((s) => /^[23]/.test(s))) problems.push('no success response declared');
  if (/[:*]/.test(url) && !schema.params) problems.push('path parameters not declared');
  if ((method === 'GET' || method === 'HEAD') && !schema.querystring) problems.push('querystring not declared');
  if (WRITES.has(method) && !schema.body) problems.push('body not declared');
  return problems;
}
