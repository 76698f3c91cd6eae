// INC-1..INC-7: what the incident API's route files share: the id parameter, the "done" answer,
// the write errors, and the workflow refusal as the API's field-error answer.
import type { FastifyReply } from 'fastify';
import { READ_ERRORS, apiError, fieldErrors } from '../admin/api-schemas.ts';
import { Type, Closed, Id } from '../platform/http/contract.ts';
import type { Translate } from '../platform/web/messages.ts';
import { IncidentError } from './errors.ts';

export const idParams = Closed({ id: Id() });
export const Done = Type.Object({ ok: Type.Literal(true) }, { description: 'Done' });
export const WRITE = {
  ...READ_ERRORS,
  409: apiError('The incident\'s state does not allow this step (already reviewed, not a draft, not overdue…)'),
  422: fieldErrors('Refused by the workflow\'s rules; `errors` names each field and why'),
} as const;

/** A workflow refusal as the API's field-error answer; anything else goes to the error handler. */
export async function answer<T>(reply: FastifyReply, t: Translate, f: () => Promise<T>): Promise<T | FastifyReply> {
  try { return await f(); } catch (e) {
    if (!(e instanceof IncidentError)) throw e;
    if (e.status === 422) {
      const errors = Object.fromEntries(Object.entries(e.fields).map(([k, p]) => [k, t(`incidents.problem.${p}`)]));
      return reply.status(422).send({ error: e.messageKey, message: t(e.messageKey), errors });
    }
    return reply.status(e.status).send({ error: e.messageKey, message: t(e.messageKey) });
  }
}

