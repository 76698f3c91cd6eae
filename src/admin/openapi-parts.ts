// Pieces every OpenAPI fragment of /api/v1 is written with (accounts here; announcements, requests
// and single-sign-on administration in their own modules), so the document speaks one way.
import { errorBody } from './api-schemas.ts';

export type Schema = object;

/** A JSON response. */
export const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A required JSON request body. */
export const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });

/** Query or path parameters from an object schema, one per property. */
export function parameters(schema: { properties: Record<string, Schema>; required?: readonly string[] }, where: 'query' | 'path') {
  return Object.entries(schema.properties).map(([name, s]) => {
    const { description, ...rest } = s as { description?: string };
    return { name, in: where, required: where === 'path' || Boolean(schema.required?.includes(name)), ...(description ? { description } : {}), schema: rest };
  });
}

/** What any token-checked operation can answer besides its success; `notFound` says what 404 covers there. */
export const apiErrors = (notFound: string) => ({
  400: json(errorBody, 'Invalid input'),
  401: json(errorBody, 'No valid token'),
  404: json(errorBody, notFound),
});
