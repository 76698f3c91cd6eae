// What an announcement may hold (SSO-5): pure checks on the form or API input, no I/O. Whether
// the caller may post for the chosen system is the service's question (authorize).
import type { MessageKey } from '../platform/web/messages.ts';
import type { Audience } from './tables.ts';

export const AUDIENCES: readonly Audience[] = ['guest', 'member'];
export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;

export interface AnnouncementInput { audience?: string; systemCode?: string | null; title?: string; body?: string }
export type AnnouncementField = 'audience' | 'systemCode' | 'title' | 'body';
export type AnnouncementErrors = Partial<Record<AnnouncementField, MessageKey>>;
export interface AnnouncementValue { audience: Audience; systemCode: string | null; title: string; body: string }

// Control characters other than tab and line feed have no place in a title or a plain-text body.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/u;
const SYSTEM_CODE = /^[a-z0-9_]{1,40}$/;

/** Line breaks as \n, trailing spaces of the whole text trimmed. */
export const normaliseBody = (s: string): string => s.replace(/\r\n?/g, '\n').trim();

export function validateAnnouncement(input: AnnouncementInput): { value?: AnnouncementValue; errors: AnnouncementErrors } {
  const errors: AnnouncementErrors = {};
  const audience = input.audience ?? '';
  if (!(AUDIENCES as string[]).includes(audience)) errors.audience = 'portal.ann.audienceInvalid';
  const systemCode = input.systemCode?.trim() || null;
  if (systemCode !== null && !SYSTEM_CODE.test(systemCode)) errors.systemCode = 'portal.ann.systemUnknown';
  const title = (input.title ?? '').trim();
  if (!title) errors.title = 'portal.ann.titleRequired';
  else if ([...title].length > TITLE_MAX) errors.title = 'portal.ann.titleTooLong';
  else if (CONTROL.test(title) || title.includes('\n')) errors.title = 'portal.ann.textInvalid';
  const body = normaliseBody(input.body ?? '');
  if (!body) errors.body = 'portal.ann.bodyRequired';
  else if ([...body].length > BODY_MAX) errors.body = 'portal.ann.bodyTooLong';
  else if (CONTROL.test(body)) errors.body = 'portal.ann.textInvalid';
  if (Object.keys(errors).length) return { errors };
  return { value: { audience: audience as Audience, systemCode, title, body }, errors };
}
