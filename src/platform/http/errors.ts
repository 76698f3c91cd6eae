// HTTP errors carry a message key; the error handler renders them in the visitor's language.
import type { MessageKey } from '../web/messages.ts';

export class HttpError extends Error {
  constructor(readonly status: number, readonly messageKey: MessageKey) { super(messageKey); }
}
export const notFound = () => new HttpError(404, 'error.notFound');
export const badRequest = () => new HttpError(400, 'error.badRequest');

/** Thrown when a page needs a signed-in user; answered with a redirect to the login page. */
export class LoginRequired extends Error {}
