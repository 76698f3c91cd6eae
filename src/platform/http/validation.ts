// What a failed schema validation names: the inputs at fault as `location.name` (body.unitOid,
// querystring.page), for the one error answer of the JSON API.
import type { FastifyError } from 'fastify';

/** The offending fields of a validation error, or null when the error is not one. */
export function validationFields(err: unknown): string[] | null {
  const e = err as FastifyError;
  if (!e?.validation) return null;
  return [...new Set(e.validation.map((v) => {
    const name = v.instancePath.replace(/^\//, '').replace(/\//g, '.') || String((v.params as { missingProperty?: string; additionalProperty?: string }).missingProperty
      ?? (v.params as { additionalProperty?: string }).additionalProperty ?? '');
    return [e.validationContext, name].filter(Boolean).join('.');
  }))];
}
