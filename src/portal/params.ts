// Path and query values of the portal pages, checked before any query.
import { notFound } from '../platform/http/errors.ts';

/** A page number from the query: a whole number from 1; anything else is page 1. */
export const pageParam = (raw: unknown): number => (typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1);

/** A numeric id from the path; anything else is "not found". */
export function idParam(raw: string): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw notFound();
  return Number(raw);
}
