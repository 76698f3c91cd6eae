// SSO-6: the declared contracts of the SCIM routes (OPS-4): bounded query strings, and bodies whose
// values may be any SCIM JSON up to a fixed depth — every string, number and list bounded, every
// object closed to keys of attribute-path shape. A body that does not fit is 400 invalidValue.
import { Type, Text, Closed, Query, type TSchema } from '../platform/http/contract.ts';

const INT = { minimum: -2_147_483_648, maximum: 2_147_483_647 };
const KEY = '^[^\\u0000]{1,300}$';

/** A SCIM value nested at most `depth` containers deep: one JSON Schema with a type list, so Ajv never coerces null into "". */
export function scimValue(depth: number): TSchema {
  const scalar = { type: ['string', 'number', 'boolean', 'null'], maxLength: 10_000, minimum: -1e15, maximum: 1e15 };
  if (depth === 0) return Type.Unsafe(scalar);
  const inner = scimValue(depth - 1);
  return Type.Unsafe({
    ...scalar, type: ['string', 'number', 'boolean', 'null', 'array', 'object'],
    maxItems: 10_000, items: inner, maxProperties: 200, additionalProperties: false, patternProperties: { [KEY]: inner },
  });
}

/** A resource (POST, PUT): an object of SCIM values. */
export const ResourceBody = Type.Unsafe<Record<string, unknown>>({ type: 'object', maxProperties: 200, additionalProperties: false, patternProperties: { [KEY]: scimValue(3) } });

export const PatchBody = Closed({
  schemas: Type.Optional(Type.Array(Text(200), { maxItems: 10 })),
  Operations: Type.Array(Closed({ op: Text(20), path: Type.Optional(Text(1000)), value: Type.Optional(scimValue(4)) }), { minItems: 1, maxItems: 1000 }),
});

export const ListQuery = Query({
  filter: Type.Optional(Text(4000)),
  sortBy: Type.Optional(Text(300)),
  sortOrder: Type.Optional(Text(20)),
  startIndex: Type.Optional(Type.Integer(INT)),
  count: Type.Optional(Type.Integer(INT)),
  attributes: Type.Optional(Text(2000)),
  excludedAttributes: Type.Optional(Text(2000)),
});

export const ProjectionQuery = Query({ attributes: Type.Optional(Text(2000)), excludedAttributes: Type.Optional(Text(2000)) });

export const SearchBody = Closed({
  schemas: Type.Optional(Type.Array(Text(200), { maxItems: 10 })),
  filter: Type.Optional(Text(4000)),
  sortBy: Type.Optional(Text(300)),
  sortOrder: Type.Optional(Text(20)),
  startIndex: Type.Optional(Type.Integer(INT)),
  count: Type.Optional(Type.Integer(INT)),
  attributes: Type.Optional(Type.Array(Text(300), { maxItems: 100 })),
  excludedAttributes: Type.Optional(Type.Array(Text(300), { maxItems: 100 })),
});

export const IdParams = Closed({ id: Text(200) });

const doc = (description: string) => Type.Unsafe<unknown>({ type: 'object', description });
export const ScimResource = doc('A SCIM resource (application/scim+json)');
export const ScimList = doc('A SCIM ListResponse (application/scim+json)');
export const ScimErrorBody = doc('A SCIM error: schemas, status, scimType, detail (application/scim+json)');
export const NoContent = Type.Null({ description: 'Deleted' });
export const SCIM_ERRORS = { 400: ScimErrorBody, 401: ScimErrorBody, 403: ScimErrorBody, 404: ScimErrorBody } as const;
export const SCIM_WRITE_ERRORS = { ...SCIM_ERRORS, 409: ScimErrorBody, 412: ScimErrorBody } as const;
