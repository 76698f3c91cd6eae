// JSON schemas of the announcement API (SSO-5): Fastify validates and serialises with them and the
// OpenAPI entries (openapi.ts) are built from the same objects.
import { BODY_MAX, TITLE_MAX } from './announcement-rules.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const SYSTEM_CODE = '^[a-z0-9_]{1,40}$';

export const announcement = {
  type: 'object',
  required: ['id', 'audience', 'systemCode', 'title', 'body', 'authorName', 'createdAt', 'updatedAt', 'editorName'],
  properties: {
    id: { type: 'integer' },
    audience: { type: 'string', enum: ['guest', 'member'], description: 'guest: public, shown before login; member: signed-in accounts only' },
    systemCode: { type: ['string', 'null'], description: 'The application system it belongs to; null: platform-wide (central authority)' },
    title: { type: 'string' },
    body: { type: 'string', description: 'Plain text; line breaks are \\n' },
    authorName: { type: ['string', 'null'] },
    createdAt: dateTime,
    updatedAt: { ...nullableDateTime, description: 'Last edit; null when never edited' },
    editorName: { type: ['string', 'null'] },
  },
} as const;

export const announcementList = {
  type: 'object',
  required: ['total', 'page', 'pageSize', 'items'],
  properties: {
    total: { type: 'integer', description: 'Announcements the caller may manage' },
    page: { type: 'integer' }, pageSize: { type: 'integer' },
    items: { type: 'array', items: announcement },
  },
} as const;

export const announcementListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  },
} as const;

export const announcementIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const fields = {
  audience: { type: 'string', enum: ['guest', 'member'] },
  systemCode: { type: ['string', 'null'], pattern: SYSTEM_CODE, description: 'A system the caller administers; null (central authority only): platform-wide' },
  title: { type: 'string', maxLength: TITLE_MAX * 2, description: `At most ${TITLE_MAX} characters, one line` },
  body: { type: 'string', maxLength: BODY_MAX * 2, description: `Plain text, at most ${BODY_MAX} characters` },
} as const;

export const announcementCreateBody = {
  type: 'object', additionalProperties: false, required: ['audience', 'title', 'body'], properties: fields,
} as const;

export const announcementPatchBody = {
  type: 'object', additionalProperties: false, minProperties: 1, properties: fields,
} as const;

export interface AnnouncementBody { audience?: string; systemCode?: string | null; title?: string; body?: string }
