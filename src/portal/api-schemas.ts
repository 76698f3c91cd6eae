// Contracts of the announcement API (SSO-5, OPS-4, issue 10): TypeBox schemas Fastify validates and
// serialises with, and @fastify/swagger publishes in /api/v1/openapi.json.
import { Type, Text, Id, Closed, ErrorBody, FieldErrors, PageNo, type Static, type TSchema, OrNull } from '../platform/http/contract.ts';
import { BODY_MAX, TITLE_MAX } from './announcement-rules.ts';

const SYSTEM_CODE = '^[a-z0-9_]{1,40}$';

/** `type: [T, 'null']`: a value or null, without an anyOf whose first branch Ajv's coercion would rewrite. */
const dateTime = Type.String({ format: 'date-time' });
const errorAs = (description: string) => Type.Object(ErrorBody.properties, { description });

/** Errors of every route here: 404 also when the caller may manage no announcement at all. */
export const ANNOUNCEMENT_API_ERRORS = {
  400: errorAs('Invalid input'),
  401: errorAs('No valid token'),
  404: errorAs('Not found, or an announcement the caller may not manage (the two look the same); also when the caller may manage none'),
} as const;
export const announcementRefused = Type.Object(FieldErrors.properties, {
  description: 'Refused; `errors` names each field and why (e.g. a system the caller does not administer)',
});

export const announcement = Type.Object({
  id: Type.Integer(),
  audience: Type.Enum(['guest', 'member'], { description: 'guest: public, shown before login; member: signed-in accounts only' }),
  systemCode: OrNull(Type.String(), { description: 'The application system it belongs to; null: platform-wide (central authority)' }),
  title: Type.String(),
  body: Type.String({ description: 'Plain text; line breaks are \\n' }),
  authorName: OrNull(Type.String()),
  createdAt: dateTime,
  updatedAt: OrNull(dateTime, { description: 'Last edit; null when never edited' }),
  editorName: OrNull(Type.String()),
}, { description: 'The announcement' });

export const announcementList = Type.Object({
  total: Type.Integer({ description: 'Announcements the caller may manage' }),
  page: Type.Integer(), pageSize: Type.Integer(),
  items: Type.Array(announcement),
}, { description: 'One page and the total' });

export const announcementListQuery = Closed({
  page: Type.Optional(PageNo()),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
});

export const announcementIdParams = Closed({ id: Id() });

const fields = {
  audience: Type.Enum(['guest', 'member']),
  systemCode: OrNull(Text(40, { pattern: SYSTEM_CODE }), { description: 'A system the caller administers; null (central authority only): platform-wide' }),
  title: Text(TITLE_MAX * 2, { description: `At most ${TITLE_MAX} characters, one line` }),
  body: Text(BODY_MAX * 2, { description: `Plain text, at most ${BODY_MAX} characters` }),
};

export const announcementCreateBody = Closed({ ...fields, systemCode: Type.Optional(fields.systemCode) });

export const announcementPatchBody = Closed({
  audience: Type.Optional(fields.audience), systemCode: Type.Optional(fields.systemCode),
  title: Type.Optional(fields.title), body: Type.Optional(fields.body),
}, { minProperties: 1 });

export type AnnouncementBody = Static<typeof announcementPatchBody>;
